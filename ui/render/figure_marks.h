#pragma once

#include <QColor>

// Marks the figures share, so every view and its export look alike: the focused token's colour,
// the colour bar's width and the gap between a figure's parts (in figure units).
namespace attnscope::ui {

inline const QColor kFocus(230, 60, 40);
inline constexpr double kColorbarWidth = 14;
inline constexpr double kFigureGap = 6;

}  // namespace attnscope::ui
