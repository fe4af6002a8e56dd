#include "render/colorbar_painter.h"

#include <algorithm>

namespace attnscope::ui {

void paintColorbar(QPainter& painter, const QRectF& bar, const Colormap& colormap, const QStringList& ticks, const QFont& font,
                   const QColor& textColor) {
    paintColorbar(painter, bar, [&colormap](float t) { return colormap.color(t); }, ticks, font, textColor);
}

void paintColorbar(QPainter& painter, const QRectF& bar, const std::function<QColor(float)>& color, const QStringList& ticks, const QFont& font,
                   const QColor& textColor) {
    const int steps = 64;
    painter.setPen(Qt::NoPen);
    for (int i = 0; i < steps; ++i) {
        const double y0 = bar.bottom() - bar.height() * (i + 1) / steps;
        painter.fillRect(QRectF(bar.left(), y0, bar.width(), bar.height() / steps + 0.5), color((float(i) + 0.5f) / steps));
    }
    painter.setPen(QPen(textColor, 0.6));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(bar);
    painter.setFont(font);
    const QFontMetricsF fm(font);
    for (int i = 0; i < ticks.size(); ++i) {
        const double y = bar.bottom() - bar.height() * i / std::max(1, int(ticks.size()) - 1);
        painter.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 3, y));
        // Labels stay beside the bar: the end ones are moved in rather than cut at the figure's edge.
        const double ly = std::clamp(y, bar.top() + fm.height() / 2, bar.bottom() - fm.height() / 2);
        painter.drawText(QRectF(bar.right() + 5, ly - fm.height() / 2, fm.horizontalAdvance(ticks[i]) + 4, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                         ticks[i]);
    }
}

}  // namespace attnscope::ui
