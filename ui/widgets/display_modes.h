#pragma once

#include <QFont>
#include <QObject>

#include <functional>

class QAction;
class QMainWindow;
class QSettings;

namespace attnscope::ui {

class SentenceBar;

// How the window looks, as a teacher switches it: presentation mode (type 1.6x larger, full screen,
// no status bar, a two-line sentence box, the projector's high-contrast palette) and the dark
// theme, in either mode; both kept across runs with the window's geometry (not a full-screen one).
class DisplayModes : public QObject {
    Q_OBJECT

public:
    struct Window {  // what the modes change
        QMainWindow* window = nullptr;
        SentenceBar* sentence = nullptr;
        std::function<void()> relayout;  // views that lay their text out themselves, after a font change
    };
    DisplayModes(Window window, QObject* parent);

    void setPresentation(bool on);
    bool presentation() const { return m_presentation; }
    void setDark(bool on);
    bool dark() const { return m_dark; }
    // View > Dark Theme: kept checked as the theme is, and switching it.
    void setDarkAction(QAction* action);

    void restore(const QSettings& settings);  // the theme and geometry saved by save()
    void save(QSettings* settings) const;

private:
    Window m_window;
    QAction* m_darkAction = nullptr;
    QFont m_normalFont;
    bool m_presentation = false;
    bool m_dark = false;
};

}  // namespace attnscope::ui
