#pragma once

#include "render/colormap.h"

#include <QFont>
#include <QPainter>
#include <QRectF>
#include <QStringList>

namespace attnscope::ui {

// A vertical colour bar in `bar` (low at the bottom) with evenly spaced tick labels to its right.
void paintColorbar(QPainter& painter, const QRectF& bar, const Colormap& colormap, const QStringList& ticks, const QFont& font,
                   const QColor& textColor);

}  // namespace attnscope::ui
