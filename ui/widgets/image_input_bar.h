#pragma once

#include <QWidget>

class QLabel;

namespace attnscope::ui {

// The row that replaces the sentence bar for image models: the picture's name, "Open image…" and
// the built-in examples. It only asks; the window opens the picture (openRequested).
class ImageInputBar : public QWidget {
    Q_OBJECT

public:
    explicit ImageInputBar(QWidget* parent = nullptr);
    void setImageName(const QString& name);

Q_SIGNALS:
    void openRequested(const QString& path);

protected:
    void changeEvent(QEvent* event) override;  // its large type follows the application font

private:
    void applyLargeFont();
    QLabel* m_name;
};

}  // namespace attnscope::ui
