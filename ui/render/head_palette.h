#pragma once

#include <QColor>

namespace attnscope::ui {

// One distinct colour per head (Paul Tol's colour-blind-safe qualitative schemes, then hues).
QColor headColor(int head);

}  // namespace attnscope::ui
