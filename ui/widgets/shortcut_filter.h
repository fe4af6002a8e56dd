#pragma once

#include <QObject>

namespace attnscope::ui {

// Lets the window's shortcuts win over a text box that would otherwise swallow them: QLineEdit takes
// Ctrl+Left/Right (word moves) and Ctrl+E (end of line, on X11), so with the sentence box focused —
// the state at launch — next head and export did nothing. Installed on the box, it declines the
// shortcut override for any key sequence one of `window`'s actions has, except the editing keys a text
// box must keep (copy, cut, paste, undo, redo, select all, delete a word).
class ShortcutFilter : public QObject {
    Q_OBJECT

public:
    ShortcutFilter(QWidget* window, QObject* parent);
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* m_window;
};

}  // namespace attnscope::ui
