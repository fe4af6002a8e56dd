#pragma once

#include "render/colormap.h"

#include <QFont>
#include <QPainter>
#include <QRectF>
#include <QStringList>

#include <functional>

namespace attnscope::ui {

// A vertical colour bar in `bar` (low at the bottom) with evenly spaced tick labels to its right.
void paintColorbar(QPainter& painter, const QRectF& bar, const Colormap& colormap, const QStringList& ticks, const QFont& font,
                   const QColor& textColor);
// The same with any colour function of t in [0, 1] (the image view's spotlight: dark to clear).
void paintColorbar(QPainter& painter, const QRectF& bar, const std::function<QColor(float)>& color, const QStringList& ticks, const QFont& font,
                   const QColor& textColor);

}  // namespace attnscope::ui
