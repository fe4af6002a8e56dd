#pragma once

#include <QWidget>

class QLabel;

namespace attnscope::ui {

// What the window shows with no model: what to open (a folder, or a model from Hugging Face), and
// why the last attempt failed when it did.
class EmptyModelPage : public QWidget {
    Q_OBJECT

public:
    explicit EmptyModelPage(QWidget* parent = nullptr);
    void setMessage(const QString& html);
    QString message() const;

Q_SIGNALS:
    void openFolderRequested();
    void openFromHubRequested();

private:
    QLabel* m_text;
};

}  // namespace attnscope::ui
