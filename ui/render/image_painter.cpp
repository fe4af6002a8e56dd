#include "render/image_painter.h"

#include "render/colorbar_painter.h"
#include "render/figure_marks.h"

#include <QFontMetricsF>

#include <algorithm>
#include <cmath>

namespace attnscope::ui {
namespace {

const QColor kPatchFocus(255, 64, 129);  // the chosen patch: magenta, apart from every colour map

// The picture fitted into `area` at its aspect ratio, centred.
QRectF fitted(const QRectF& area, const QSizeF& size) {
    if (size.isEmpty()) return area;
    const double scale = std::min(area.width() / size.width(), area.height() / size.height());
    const QSizeF s = size * scale;
    return QRectF(area.center().x() - s.width() / 2, area.center().y() - s.height() / 2, s.width(), s.height());
}

QRectF patchRect(const QRectF& picture, int grid, int index) {
    const double w = picture.width() / grid, h = picture.height() / grid;
    return QRectF(picture.left() + (index % grid) * w, picture.top() + (index / grid) * h, w, h);
}

// Bilinear interpolation of the (grid x grid) map between patch centres (clamped at the borders),
// k samples per patch side: values are interpolated, then coloured.
std::vector<float> upsample(const std::vector<float>& map, int grid, int k) {
    const int side = grid * k;
    std::vector<float> out(size_t(side) * size_t(side));
    auto at = [&](int r, int c) { return map[size_t(std::clamp(r, 0, grid - 1) * grid + std::clamp(c, 0, grid - 1))]; };
    for (int y = 0; y < side; ++y) {
        const double fy = (y + 0.5) / k - 0.5;
        const int r0 = int(std::floor(fy));
        const float ty = float(fy - r0);
        for (int x = 0; x < side; ++x) {
            const double fx = (x + 0.5) / k - 0.5;
            const int c0 = int(std::floor(fx));
            const float tx = float(fx - c0);
            const float top = at(r0, c0) * (1 - tx) + at(r0, c0 + 1) * tx;
            const float bottom = at(r0 + 1, c0) * (1 - tx) + at(r0 + 1, c0 + 1) * tx;
            out[size_t(y) * size_t(side) + size_t(x)] = top * (1 - ty) + bottom * ty;
        }
    }
    return out;
}

// The spotlight's shade over a value v in [0, 1]: black, as opaque as v is low.
QColor spotlightShade(float v, float opacity) {
    const float darkest = std::min(0.92f, opacity * 1.3f);
    return QColor(0, 0, 0, std::clamp(int(std::lround(255 * darkest * (1 - std::clamp(v, 0.0f, 1.0f)))), 0, 255));
}

void drawMap(QPainter& p, const QRectF& target, const ImageSpec& s, const std::vector<float>& map, int samplesPerPatch) {
    if (s.smooth) {
        const int k = std::max(1, samplesPerPatch);
        p.save();
        p.setRenderHint(QPainter::SmoothPixmapTransform, true);
        p.drawImage(target, s.spotlight ? spotlightImage(upsample(map, s.grid, k), s.grid * k, s.opacity)
                                        : overlayImage(upsample(map, s.grid, k), s.grid * k, s.colormap, s.opacity));
        p.restore();
    } else {  // one block per patch, as rectangles so SVG and PDF viewers cannot blur them
        const int alpha = std::clamp(int(std::lround(s.opacity * 255)), 0, 255);
        for (int i = 0; i < s.grid * s.grid; ++i) {
            QColor c = s.colormap.color(map[size_t(i)]);
            c.setAlpha(alpha);
            p.fillRect(patchRect(target, s.grid, i), s.spotlight ? spotlightShade(map[size_t(i)], s.opacity) : c);
        }
    }
}

void drawGridLines(QPainter& p, const QRectF& picture, int grid) {
    p.setPen(QPen(QColor(255, 255, 255, 90), 0.6));
    for (int i = 1; i < grid; ++i) {
        const double x = picture.left() + picture.width() * i / grid, y = picture.top() + picture.height() * i / grid;
        p.drawLine(QPointF(x, picture.top()), QPointF(x, picture.bottom()));
        p.drawLine(QPointF(picture.left(), y), QPointF(picture.right(), y));
    }
}

// Darkens the patches outside the mask and traces the border of the kept region.
void drawMask(QPainter& p, const QRectF& picture, const ImageSpec& s) {
    const int g = s.grid;
    const QColor shade(0, 0, 0, int(std::lround(40 + 200 * s.opacity)));
    for (int i = 0; i < g * g; ++i)
        if (!s.mask[size_t(i)]) p.fillRect(patchRect(picture, g, i), shade);
    p.setPen(QPen(QColor(255, 214, 0), 2.0));
    auto kept = [&](int r, int c) { return r >= 0 && c >= 0 && r < g && c < g && s.mask[size_t(r * g + c)]; };
    for (int r = 0; r < g; ++r)
        for (int c = 0; c < g; ++c) {
            if (!kept(r, c)) continue;
            const QRectF q = patchRect(picture, g, r * g + c);
            if (!kept(r - 1, c)) p.drawLine(q.topLeft(), q.topRight());
            if (!kept(r + 1, c)) p.drawLine(q.bottomLeft(), q.bottomRight());
            if (!kept(r, c - 1)) p.drawLine(q.topLeft(), q.bottomLeft());
            if (!kept(r, c + 1)) p.drawLine(q.topRight(), q.bottomRight());
        }
}

// The row of `query` over the patches for one head, scaled so its maximum is 1.
std::vector<float> headMap(const core::AttentionTrace& t, int layer, int head, int query) {
    const core::HeadMatrices matrices = t.head(layer, head);
    const float* row = matrices.probsRow(query) + 1;
    std::vector<float> map(row, row + t.tokens() - 1);
    const float mx = *std::max_element(map.begin(), map.end());
    if (mx > 0)
        for (float& v : map) v /= mx;
    return map;
}

void drawHeads(QPainter& p, const ImageLayout& l, const ImageSpec& s) {
    const QFontMetricsF fm(s.font);
    p.setFont(s.font);
    p.setPen(s.textColor);
    for (int h = 0; h < l.heads; ++h) {
        const QRectF t = l.thumbnail(0, h);
        p.drawText(QRectF(t.left(), l.cells.top() - fm.height() - 2, t.width(), fm.height()), Qt::AlignCenter, QStringLiteral("H%1").arg(h));
    }
    for (int layer = 0; layer < l.layers; ++layer) {
        const QRectF t = l.thumbnail(layer, 0);
        p.drawText(QRectF(l.cells.left() - 40, t.top(), 36, t.height()), Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("L%1").arg(layer));
        for (int h = 0; h < l.heads; ++h) {
            const QRectF cell = fitted(l.thumbnail(layer, h), QSizeF(s.picture->size()));
            p.setRenderHint(QPainter::SmoothPixmapTransform, true);
            p.drawImage(cell, *s.picture);
            drawMap(p, cell, s, headMap(*s.trace, layer, h, s.query), 4);
        }
    }
    if (s.selectedLayer >= 0 && s.selectedLayer < l.layers && s.selectedHead >= 0 && s.selectedHead < l.heads) {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(kPatchFocus, 2.0));
        p.drawRect(l.thumbnail(s.selectedLayer, s.selectedHead).adjusted(-1.5, -1.5, 1.5, 1.5));
    }
}

}  // namespace

QImage spotlightImage(const std::vector<float>& map, int grid, float opacity) {
    QImage img(grid, grid, QImage::Format_ARGB32_Premultiplied);
    for (int i = 0; i < grid * grid && i < int(map.size()); ++i) img.setPixel(i % grid, i / grid, qPremultiply(spotlightShade(map[size_t(i)], opacity).rgba()));
    return img;
}

QImage overlayImage(const std::vector<float>& map, int grid, const Colormap& colormap, float opacity) {
    QImage img(grid, grid, QImage::Format_ARGB32_Premultiplied);
    const int alpha = std::clamp(int(std::lround(opacity * 255)), 0, 255);
    for (int i = 0; i < grid * grid && i < int(map.size()); ++i) {
        const QRgb c = colormap.rgb(map[size_t(i)]);
        img.setPixel(i % grid, i / grid, qRgba(qRed(c) * alpha / 255, qGreen(c) * alpha / 255, qBlue(c) * alpha / 255, alpha));
    }
    return img;
}

ImageLayout imageLayout(const QRectF& rect, const ImageSpec& s) {
    ImageLayout l;
    const QFontMetricsF fm(s.font);
    double top = rect.top();
    if (!s.title.isEmpty()) {
        l.titleRect = QRectF(rect.left(), top, rect.width(), fm.height() * 1.3);
        top = l.titleRect.bottom() + 2;
    }
    if (!s.caption.isEmpty()) {
        l.captionRect = QRectF(rect.left(), top, rect.width(), fm.height() * 1.2);
        top = l.captionRect.bottom() + 4;
    }
    const QRectF body(rect.left(), top, rect.width(), std::max(10.0, rect.bottom() - top));
    const QSizeF pictureSize = s.picture && !s.picture->isNull() ? QSizeF(s.picture->size()) : QSizeF(1, 1);
    if (s.overlay == ImageOverlay::Heads && s.trace) {
        l.layers = s.trace->layers();
        l.heads = s.trace->heads();
        const double labelW = 44, labelH = fm.height() + 4;
        l.gap = 4;
        l.cell = std::max(8.0, std::min((body.width() - labelW - l.gap * (l.heads - 1)) / l.heads,
                                        (body.height() - labelH - l.gap * (l.layers - 1)) / l.layers));
        const double w = l.heads * l.cell + (l.heads - 1) * l.gap, h = l.layers * l.cell + (l.layers - 1) * l.gap;
        const double left = body.left() + labelW + std::max(0.0, (body.width() - labelW - w) / 2);
        l.cells = QRectF(left, body.top() + labelH, w, h);
        return l;
    }
    const bool bar = s.overlay != ImageOverlay::Dino;
    // Room for the widest tick label beside the bar (the map's own range can print long numbers).
    double tickW = fm.horizontalAdvance(QStringLiteral("0.0000"));
    for (const QString& t : s.ticks) tickW = std::max(tickW, fm.horizontalAdvance(t));
    const double barSpace = bar ? kColorbarWidth + 12 + tickW + 12 : 0;
    l.picture = fitted(body.adjusted(0, 0, -barSpace, 0), pictureSize);
    if (bar) l.colorbar = QRectF(l.picture.right() + 12, l.picture.top(), kColorbarWidth, l.picture.height());
    return l;
}

int patchAt(const ImageLayout& l, const ImageSpec& s, const QPointF& point) {
    if (s.grid <= 0 || l.picture.isEmpty() || !l.picture.contains(point)) return -1;
    const int c = std::clamp(int((point.x() - l.picture.left()) / l.picture.width() * s.grid), 0, s.grid - 1);
    const int r = std::clamp(int((point.y() - l.picture.top()) / l.picture.height() * s.grid), 0, s.grid - 1);
    return r * s.grid + c;
}

std::pair<int, int> headAt(const ImageLayout& l, const QPointF& point) {
    for (int layer = 0; layer < l.layers; ++layer)
        for (int h = 0; h < l.heads; ++h)
            if (l.thumbnail(layer, h).contains(point)) return {layer, h};
    return {-1, -1};
}

void paintImageFigure(QPainter& p, const QRectF& rect, const ImageSpec& s) {
    if (!s.picture || s.picture->isNull() || s.grid <= 0) return;
    const ImageLayout l = imageLayout(rect, s);
    p.save();
    if (!s.title.isEmpty()) {
        QFont title = s.font;
        title.setBold(true);
        p.setFont(title);
        p.setPen(s.textColor);
        p.drawText(l.titleRect, Qt::AlignHCenter | Qt::AlignTop, s.title);
    }
    if (!s.caption.isEmpty()) {
        p.setFont(s.font);
        p.setPen(s.textColor);
        p.drawText(l.captionRect, Qt::AlignHCenter | Qt::AlignTop, s.caption);
    }
    if (s.overlay == ImageOverlay::Heads) {
        if (s.trace) drawHeads(p, l, s);
        p.restore();
        return;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform, s.smooth);  // nearest keeps small pictures' pixels crisp
    p.drawImage(l.picture, *s.picture);
    if (s.overlay == ImageOverlay::Dino) {
        if (s.mask.size() == size_t(s.grid) * size_t(s.grid)) drawMask(p, l.picture, s);
    } else if (s.map.size() == size_t(s.grid) * size_t(s.grid)) {
        drawMap(p, l.picture, s, s.map, 16);
        if (s.spotlight)  // the bar shows what the picture gets: dark (ignored) up to clear (attended)
            paintColorbar(p, l.colorbar, [&s](float t) {
                const QColor shade = spotlightShade(t, s.opacity);
                const float a = float(shade.alphaF());
                return QColor::fromRgbF(1 - a, 1 - a, 1 - a);  // the shade over white
            }, s.ticks, s.font, s.textColor);
        else
            paintColorbar(p, l.colorbar, s.colormap, s.ticks, s.font, s.textColor);
    }
    drawGridLines(p, l.picture, s.grid);
    if (s.focusPatch >= 0 && s.focusPatch < s.grid * s.grid) {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(kPatchFocus, 2.5));
        p.drawRect(patchRect(l.picture, s.grid, s.focusPatch));
    }
    p.restore();
}

}  // namespace attnscope::ui
