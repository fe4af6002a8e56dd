#include "widgets/display_modes.h"

#include "widgets/app_palettes.h"
#include "widgets/sentence_bar.h"
#include "widgets/sentence_edit.h"
#include "widgets/window_geometry.h"

#include <QAction>
#include <QApplication>
#include <QMainWindow>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>

namespace attnscope::ui {

DisplayModes::DisplayModes(Window window, QObject* parent) : QObject(parent), m_window(std::move(window)), m_normalFont(QApplication::font()) {}

void DisplayModes::setPresentation(bool on) {
    m_presentation = on;
    QMainWindow* w = m_window.window;
    QFont f = m_normalFont;
    if (on) f.setPointSizeF(f.pointSizeF() * 1.6);
    QApplication::setFont(f);
    w->statusBar()->setVisible(!on);  // the room goes to the figure; timings do not matter to a class
    m_window.sentence->edit()->setMaxLines(on ? 2 : 4);
    if (on) {
        QApplication::setPalette(presentationPalette(m_dark));
        if (QScreen* s = w->screen()) w->setGeometry(s->geometry());  // also without a window manager
        w->showFullScreen();
    } else {
        setDark(m_dark);
        w->showNormal();
    }
    if (m_window.relayout) m_window.relayout();
}

void DisplayModes::setDark(bool on) {
    m_dark = on;
    if (m_darkAction && m_darkAction->isChecked() != on) m_darkAction->setChecked(on);
    if (m_presentation) QApplication::setPalette(presentationPalette(on));
    else QApplication::setPalette(on ? darkPalette() : QApplication::style()->standardPalette());
}

void DisplayModes::setDarkAction(QAction* action) {
    m_darkAction = action;
    action->setChecked(m_dark);
    connect(action, &QAction::toggled, this, &DisplayModes::setDark);
}

void DisplayModes::restore(const QSettings& settings) {
    if (settings.value(QStringLiteral("window/dark"), false).toBool()) setDark(true);
    m_window.window->restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    fitWindowToScreen(m_window.window);  // saved on a larger screen: brought back whole
}

void DisplayModes::save(QSettings* settings) const {
    settings->setValue(QStringLiteral("window/dark"), m_dark);
    if (!m_presentation) settings->setValue(QStringLiteral("window/geometry"), m_window.window->saveGeometry());
}

}  // namespace attnscope::ui
