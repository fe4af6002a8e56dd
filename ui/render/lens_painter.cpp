#include "render/lens_painter.h"

#include "render/colorbar_painter.h"
#include "render/figure_marks.h"

#include <QFontMetricsF>

#include <algorithm>
#include <cmath>

namespace attnscope::ui {
namespace {

QString rowLabel(int layer, int layers) {
    if (layer == 0) return QStringLiteral("embeddings");
    return layer == layers - 1 ? QStringLiteral("%1 (output)").arg(layer) : QString::number(layer);
}

}  // namespace

LensLayout lensLayout(const QRectF& rect, const LensSpec& s) {
    LensLayout l;
    if (!s.lens) return l;
    const QFontMetricsF fm(s.font);
    const int rows = s.lens->layers, cols = s.lens->tokens;
    l.rowLabelW = std::max(fm.horizontalAdvance(rowLabel(rows - 1, rows)), fm.horizontalAdvance(rowLabel(0, rows))) + kFigureGap;
    const double titleH = s.title.isEmpty() ? 0 : fm.height() * 1.5;
    double tokenH = 0;  // the column labels under the grid, written upwards
    for (const QString& t : s.tokens) tokenH = std::max(tokenH, fm.horizontalAdvance(t));
    tokenH = std::min(tokenH, fm.averageCharWidth() * 14) + kFigureGap;
    const double barW = kColorbarWidth + kFigureGap + fm.horizontalAdvance(QStringLiteral("0.75")) + kFigureGap * 2;
    const double availW = std::max(0.0, rect.width() - l.rowLabelW - barW);
    const double availH = std::max(0.0, rect.height() - titleH - tokenH);
    l.cellW = cols > 0 ? std::min(availW / cols, fm.averageCharWidth() * 12) : 0;
    l.cellH = rows > 0 ? std::min(availH / rows, fm.height() * 2.2) : 0;
    l.titleRect = QRectF(rect.left(), rect.top(), rect.width(), titleH);
    l.grid = QRectF(rect.left() + l.rowLabelW, rect.top() + titleH, l.cellW * cols, l.cellH * rows);
    l.colorbar = QRectF(l.grid.right() + kFigureGap * 2, l.grid.top(), kColorbarWidth, l.grid.height());
    return l;
}

std::optional<QPoint> lensCellAt(const LensLayout& l, const LensSpec& s, const QPointF& p) {
    if (!s.lens || l.cellW <= 0 || l.cellH <= 0 || !l.grid.contains(p)) return std::nullopt;
    const int col = std::clamp(int((p.x() - l.grid.left()) / l.cellW), 0, s.lens->tokens - 1);
    const int rowFromTop = std::clamp(int((p.y() - l.grid.top()) / l.cellH), 0, s.lens->layers - 1);
    return QPoint(col, s.lens->layers - 1 - rowFromTop);  // x = token, y = layer
}

void paintLens(QPainter& painter, const QRectF& rect, const LensSpec& s) {
    if (!s.lens || s.lens->tokens == 0) return;
    const LensLayout l = lensLayout(rect, s);
    const QFontMetricsF fm(s.font);
    const int rows = s.lens->layers, cols = s.lens->tokens, k = s.lens->k;
    if (!s.title.isEmpty()) {
        QFont bold = s.font;
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(s.textColor);
        painter.drawText(l.titleRect, Qt::AlignHCenter | Qt::AlignTop, s.title);
    }
    painter.setFont(s.font);
    const bool roomForText = l.cellW >= fm.averageCharWidth() * 2.5 && l.cellH >= fm.height() * 0.9;
    for (int layer = 0; layer < rows; ++layer) {
        const double y = l.grid.top() + (rows - 1 - layer) * l.cellH;
        painter.setPen(s.textColor);
        painter.drawText(QRectF(rect.left(), y, l.rowLabelW - kFigureGap, l.cellH), Qt::AlignRight | Qt::AlignVCenter, rowLabel(layer, rows));
        for (int t = 0; t < cols; ++t) {
            const core::TokenScore& top = *s.lens->at(layer, t);
            const QRectF cell(l.grid.left() + t * l.cellW, y, l.cellW, l.cellH);
            painter.fillRect(cell.adjusted(0, 0, 0.3, 0.3), s.colormap.color(top.probability));
            if (!roomForText) continue;
            const size_t index = (size_t(layer) * size_t(cols) + size_t(t)) * size_t(k);
            const QString text = s.cellTexts.value(qsizetype(index)).trimmed();
            painter.setPen(s.colormap.textOn(top.probability));
            const QString shown = fm.elidedText(text.isEmpty() ? QStringLiteral("·") : text, Qt::ElideRight, cell.width() - 4);
            if (l.cellH >= fm.height() * 1.9) {  // room for the probability under the token
                const QRectF upper(cell.left() + 2, cell.top(), cell.width() - 4, cell.height() * 0.55);
                painter.drawText(upper, Qt::AlignHCenter | Qt::AlignBottom, shown);
                QFont small = s.font;
                small.setPointSizeF(s.font.pointSizeF() > 0 ? s.font.pointSizeF() * 0.8 : 8);
                painter.setFont(small);
                painter.drawText(QRectF(cell.left() + 2, upper.bottom(), cell.width() - 4, cell.height() * 0.45), Qt::AlignHCenter | Qt::AlignTop,
                                 QString::number(double(top.probability) * 100, 'f', top.probability < 0.1f ? 1 : 0) + QLatin1Char('%'));
                painter.setFont(s.font);
            } else {
                painter.drawText(cell.adjusted(2, 0, -2, 0), Qt::AlignCenter, shown);
            }
        }
    }
    // Column labels (the input tokens) under the grid, upwards.
    for (int t = 0; t < cols && t < s.tokens.size(); ++t) {
        const bool focus = t == s.focus;
        QFont f = s.font;
        f.setBold(focus);
        painter.setFont(f);
        painter.setPen(focus ? kFocus : s.textColor);
        painter.save();
        painter.translate(l.grid.left() + (t + 0.5) * l.cellW, l.grid.bottom() + kFigureGap);
        painter.rotate(-90);
        const double room = rect.bottom() - l.grid.bottom() - kFigureGap;
        painter.drawText(QRectF(-room, -fm.height() / 2, room, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                         QFontMetricsF(f).elidedText(s.tokens[t], Qt::ElideRight, room));
        painter.restore();
    }
    painter.setFont(s.font);
    if (s.focus >= 0 && s.focus < cols) {
        painter.setPen(QPen(kFocus, 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(l.grid.left() + s.focus * l.cellW, l.grid.top(), l.cellW, l.grid.height()));
    }
    paintColorbar(painter, l.colorbar, s.colormap, {"0", "0.25", "0.5", "0.75", "1"}, s.font, s.textColor);
}

}  // namespace attnscope::ui
