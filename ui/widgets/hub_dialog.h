#pragma once

#include <QDialog>
#include <QTimer>

#include <atomic>
#include <memory>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace attnscope::ui {

// File > Open from Hugging Face: models known to work well (the teaching models' big brothers and
// today's small decoders) or any id typed in; before anything is fetched it says what the cache
// holds and how much a download would take (asked of the Hub on a worker thread). Accepting opens
// the id; the download itself runs in the analysis session with progress in the status bar.
class HubDialog : public QDialog {
    Q_OBJECT

public:
    explicit HubDialog(QWidget* parent = nullptr);
    ~HubDialog() override;

    QString modelId() const;
    void setModelId(const QString& id);
    QString statusText() const;

    // (id, what it is) for the list.
    static QList<QPair<QString, QString>> knownModels();

private:
    void check();  // the cache, then the Hub's listing: the size to download

    QListWidget* m_list;
    QLineEdit* m_id;
    QLabel* m_status;
    QPushButton* m_open;
    QTimer m_debounce;
    quint64 m_request = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

}  // namespace attnscope::ui
