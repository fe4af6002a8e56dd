#include "widgets/window_geometry.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>

#include <algorithm>

namespace attnscope::ui {

void fitWindowToScreen(QWidget* window) {
    if (window->isFullScreen() || window->isMaximized()) return;
    // The screen under the window's centre, else the primary one (a monitor that is gone).
    QScreen* screen = QGuiApplication::screenAt(window->geometry().center());
    if (!screen) screen = QGuiApplication::primaryScreen();
    if (!screen) return;
    const QRect avail = screen->availableGeometry();
    // The frame (title bar, borders) around the client area, as far as the platform tells.
    const QRect frame = window->frameGeometry(), client = window->geometry();
    const int extraW = std::max(0, frame.width() - client.width()), extraH = std::max(0, frame.height() - client.height());
    const int width = std::max(window->minimumWidth(), std::min(client.width(), avail.width() - extraW));
    const int height = std::max(window->minimumHeight(), std::min(client.height(), avail.height() - extraH));
    if (width != client.width() || height != client.height()) window->resize(width, height);
    QRect placed = window->frameGeometry();
    placed.moveLeft(std::clamp(placed.left(), avail.left(), std::max(avail.left(), avail.right() + 1 - placed.width())));
    placed.moveTop(std::clamp(placed.top(), avail.top(), std::max(avail.top(), avail.bottom() + 1 - placed.height())));
    if (placed.topLeft() != window->frameGeometry().topLeft()) window->move(placed.topLeft());
}

}  // namespace attnscope::ui
