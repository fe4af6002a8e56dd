#include "render/colorbar_painter.h"

namespace attnscope::ui {

void paintColorbar(QPainter& painter, const QRectF& bar, const Colormap& colormap, const QStringList& ticks, const QFont& font,
                   const QColor& textColor) {
    const int steps = 64;
    painter.setPen(Qt::NoPen);
    for (int i = 0; i < steps; ++i) {
        const double y0 = bar.bottom() - bar.height() * (i + 1) / steps;
        painter.fillRect(QRectF(bar.left(), y0, bar.width(), bar.height() / steps + 0.5), colormap.color((float(i) + 0.5f) / steps));
    }
    painter.setPen(QPen(textColor, 0.6));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(bar);
    painter.setFont(font);
    const QFontMetricsF fm(font);
    for (int i = 0; i < ticks.size(); ++i) {
        const double y = bar.bottom() - bar.height() * i / std::max(1, int(ticks.size()) - 1);
        painter.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 3, y));
        painter.drawText(QRectF(bar.right() + 5, y - fm.height() / 2, 80, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, ticks[i]);
    }
}

}  // namespace attnscope::ui
