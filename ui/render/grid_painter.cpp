#include "render/grid_painter.h"

#include "render/attention_matrix.h"
#include "render/heatmap_painter.h"

#include <QFontMetricsF>

#include <algorithm>
#include <cmath>

namespace attnscope::ui {

GridLayout gridLayout(const QRectF& rect, int layers, int heads, const QFont& font) {
    const QFontMetricsF fm(font);
    GridLayout g;
    g.layers = layers;
    g.heads = heads;
    g.labelW = fm.horizontalAdvance(QStringLiteral("L00")) + 8;
    g.labelH = fm.height() + 4;
    const double w = rect.width() - g.labelW, h = rect.height() - g.labelH;
    // gap = cell / 8
    const double byW = heads > 0 ? w / (heads + (heads - 1) / 8.0) : 0;
    const double byH = layers > 0 ? h / (layers + (layers - 1) / 8.0) : 0;
    g.cell = std::max(0.0, std::min(byW, byH));
    g.gap = g.cell / 8;
    const double gridW = heads * g.cell + (heads - 1) * g.gap, gridH = layers * g.cell + (layers - 1) * g.gap;
    g.area = QRectF(rect.left() + g.labelW + (w - gridW) / 2, rect.top() + g.labelH, gridW, gridH);
    // The smallest power of two whose span of pitches holds a label with room to spare.
    auto step = [](double pitch, double need) {
        int s = 1;
        while (s < (1 << 20) && s * pitch < need) s *= 2;
        return s;
    };
    const QString widest = QStringLiteral("H%1").arg(std::max(0, heads - 1));
    g.headStep = step(g.cell + g.gap, fm.horizontalAdvance(widest) + 6);
    g.layerStep = step(g.cell + g.gap, fm.height());
    return g;
}

std::optional<QPoint> gridCellAt(const GridLayout& g, const QPointF& p) {
    if (g.cell <= 0 || !g.area.contains(p)) return std::nullopt;
    const int head = int((p.x() - g.area.left()) / (g.cell + g.gap));
    const int layer = int((p.y() - g.area.top()) / (g.cell + g.gap));
    if (head < 0 || head >= g.heads || layer < 0 || layer >= g.layers) return std::nullopt;
    if (!g.thumbnail(layer, head).contains(p)) return std::nullopt;  // in a gap
    return QPoint(head, layer);
}

QImage attentionImage(const float* probs, int n, const Colormap& map, bool logScale, bool causal) {
    return attentionImage(probs, n, n, map, logScale, causal);
}

namespace {

// Whether block cell (r, c) of a (size, size) picture of an (n, n) causal matrix is all masked: its
// first key comes after its last query (blocks as core::summarizeHead makes them).
bool blockMasked(int r, int c, int size, int n) {
    const int64_t firstKey = (int64_t(c) * n + size - 1) / size, lastQuery = (int64_t(r + 1) * n + size - 1) / size - 1;
    return firstKey > lastQuery;
}

}  // namespace

QImage attentionImage(const float* values, int size, int n, const Colormap& map, bool logScale, bool causal) {
    QImage image(size, size, QImage::Format_RGB32);
    for (int r = 0; r < size; ++r) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(r));
        for (int c = 0; c < size; ++c)
            line[c] = causal && blockMasked(r, c, size, n) ? qRgb(226, 226, 226) : map.rgb(heatmapScale(values[r * size + c], logScale));
    }
    return image;
}

HeadPicture headPicture(const core::AttentionTrace& trace, int layer, int head, bool hideFirstToken) {
    HeadPicture p;
    if (trace.rebuilt()) {
        p.values = trace.thumbnail(layer, head, hideFirstToken);
        p.size = trace.thumbnailSize();
    } else {
        p.matrix = selectMatrix(trace, layer, HeadMode::Single, head, hideFirstToken);
        p.values = p.matrix.data;
        p.size = trace.tokens();
    }
    return p;
}

std::vector<QImage> allThumbnails(const core::AttentionTrace& trace, const Colormap& map, bool logScale, bool hideFirstToken) {
    std::vector<QImage> images;
    images.reserve(size_t(trace.layers() * trace.heads()));
    for (int l = 0; l < trace.layers(); ++l)
        for (int h = 0; h < trace.heads(); ++h) {
            const HeadPicture p = headPicture(trace, l, h, hideFirstToken);
            images.push_back(attentionImage(p.values, p.size, trace.tokens(), map, logScale, trace.shape().causal));
        }
    return images;
}

void paintGrid(QPainter& painter, const QRectF& rect, const GridSpec& s) {
    if (!s.trace) return;
    const core::AttentionTrace& t = *s.trace;
    const GridLayout g = gridLayout(rect, t.layers(), t.heads(), s.font);
    if (g.cell <= 0) return;
    painter.setFont(s.font);
    painter.setPen(s.textColor);
    // A label centred on its cell, as wide (tall) as the cells it stands for.
    const double labelWidth = std::max(g.cell, g.headStep * (g.cell + g.gap) - g.gap);
    const double labelHeight = std::max(g.cell, g.layerStep * (g.cell + g.gap) - g.gap);
    for (int h = 0; h < t.heads(); h += g.headStep)
        painter.drawText(QRectF(g.thumbnail(0, h).center().x() - labelWidth / 2, rect.top(), labelWidth, g.labelH), Qt::AlignCenter,
                         QStringLiteral("H%1").arg(h));
    for (int l = 0; l < t.layers(); l += g.layerStep)
        painter.drawText(QRectF(g.area.left() - g.labelW, g.thumbnail(l, 0).center().y() - labelHeight / 2, g.labelW - 6, labelHeight),
                         Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("L%1").arg(t.layerNumber(l)));
    const int n = t.tokens();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    for (int l = 0; l < t.layers(); ++l) {
        for (int h = 0; h < t.heads(); ++h) {
            const QRectF cell = g.thumbnail(l, h);
            if (s.thumbnails && s.thumbnails->size() == size_t(t.layers() * t.heads()) && !s.vectorCells) {
                painter.drawImage(cell, (*s.thumbnails)[size_t(l * t.heads() + h)]);
            } else {
                const HeadPicture pic = headPicture(t, l, h, s.hideFirstToken);
                const int size = pic.size;
                if (s.vectorCells) {
                    const double c = cell.width() / size;
                    painter.setPen(Qt::NoPen);
                    for (int r = 0; r < size; ++r)
                        for (int k = 0; k < size; ++k) {
                            const QColor color = t.shape().causal && blockMasked(r, k, size, n)
                                                     ? QColor(226, 226, 226)
                                                     : s.colormap.color(heatmapScale(pic.values[r * size + k], s.logScale));
                            painter.fillRect(QRectF(cell.left() + k * c, cell.top() + r * c, c + 0.2, c + 0.2), color);
                        }
                } else {
                    painter.drawImage(cell, attentionImage(pic.values, size, n, s.colormap, s.logScale, t.shape().causal));
                }
            }
            if (s.focus >= 0 && s.focus < n) {
                painter.setPen(QPen(QColor(230, 60, 40), 1));
                painter.setBrush(Qt::NoBrush);
                painter.drawRect(QRectF(cell.left(), cell.top() + s.focus * cell.height() / n, cell.width(), cell.height() / n));
            }
        }
    }
    if (s.selectedLayer >= 0 && s.selectedHead >= 0 && s.selectedLayer < t.layers() && s.selectedHead < t.heads()) {
        const double w = std::clamp(g.gap * 0.3, 1.5, 3.0);
        painter.setPen(QPen(QColor(230, 60, 40), w));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(g.thumbnail(s.selectedLayer, s.selectedHead).adjusted(-w, -w, w, w));
    }
}

}  // namespace attnscope::ui
