#include "render/links_painter.h"

#include "render/line_rasterizer.h"

#include <QFontMetricsF>
#include <QImage>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace attnscope::ui {
namespace {
const QColor kFocus(230, 60, 40);
}

// Labels take the room there is: as large as the rows allow (up to 2x, so a short sentence reads
// from the back of a room in presentation mode), smaller (down to 0.7x) when rows are tight so
// they never overlap. The title, caption and column headers take about four rows.
QFont linksFont(const QRectF& rect, const LinksSpec& s) {
    QFont f = s.font;
    if (s.n <= 0) return f;
    const double room = rect.height() / (s.n + 4.5);
    const double scale = std::clamp(room / (QFontMetricsF(f).height() * 1.25), 0.7, 2.0);
    if (f.pointSizeF() > 0) f.setPointSizeF(f.pointSizeF() * scale);
    else f.setPixelSize(std::max(6, int(f.pixelSize() * scale)));
    return f;
}

namespace {

// The caption broken at a space into at most two lines as even as possible (each elided to
// `width` if it still does not fit).
QStringList captionLines(const QFontMetricsF& fm, const QString& caption, double width) {
    if (caption.isEmpty()) return {};
    if (fm.horizontalAdvance(caption) <= width) return {caption};
    const QStringList words = caption.split(QLatin1Char(' '));
    int best = 1;
    double bestWidth = std::numeric_limits<double>::max();
    for (int cut = 1; cut < words.size(); ++cut) {
        const double w = std::max(fm.horizontalAdvance(words.mid(0, cut).join(QLatin1Char(' '))),
                                  fm.horizontalAdvance(words.mid(cut).join(QLatin1Char(' '))));
        if (w < bestWidth) bestWidth = w, best = cut;
    }
    return {fm.elidedText(words.mid(0, best).join(QLatin1Char(' ')), Qt::ElideRight, width),
            fm.elidedText(words.mid(best).join(QLatin1Char(' ')), Qt::ElideRight, width)};
}

}  // namespace

double linkWidth(float w, double rowHeight) {
    const double widest = std::clamp(rowHeight * 0.24, 2.0, 12.0);
    return 1.0 + (widest - 1.0) * std::clamp(double(w), 0.0, 1.0);
}

LinksLayout linksLayout(const QRectF& rect, const LinksSpec& s) {
    const QFontMetricsF fm(linksFont(rect, s));
    LinksLayout l;
    double widest = 0;
    for (const QString& t : s.labels) widest = std::max(widest, fm.horizontalAdvance(t));
    const double labelW = std::min(widest, fm.averageCharWidth() * 16) + 12;
    const auto lines = double(captionLines(fm, s.caption, rect.width() - 16).size());
    const double captionH = lines > 0 ? fm.height() * (0.4 + lines) : 0;
    const double headerH = s.columnHeaders ? fm.height() * 1.4 : 0;
    const double titleH = (s.title.isEmpty() ? 0 : fm.height() * 1.6) + (lines > 0 ? captionH + fm.height() * 0.3 : 0) + headerH;
    l.titleRect = QRectF(rect.left(), rect.top(), rect.width(), s.title.isEmpty() ? 0 : fm.height() * 1.6);
    l.captionRect = QRectF(rect.left(), l.titleRect.bottom(), rect.width(), captionH);
    const double avail = rect.height() - titleH;
    l.rowHeight = s.n > 0 ? std::min(fm.height() * 1.7, avail / s.n) : 0;
    l.top = rect.top() + titleH + (avail - l.rowHeight * s.n) / 2;
    const double gap = std::max(60.0, std::min(rect.width() - 2 * labelW, rect.width() * 0.5));
    const double x0 = rect.left() + (rect.width() - (2 * labelW + gap)) / 2;
    l.left = QRectF(x0, l.top, labelW, l.rowHeight * s.n);
    l.right = QRectF(x0 + labelW + gap, l.top, labelW, l.rowHeight * s.n);
    l.headerRect = QRectF(rect.left(), l.top - headerH, rect.width(), headerH);
    return l;
}

std::optional<LinkHit> linksTokenAt(const LinksLayout& l, int n, const QPointF& p) {
    if (n <= 0 || l.rowHeight <= 0) return std::nullopt;
    const int row = int(std::floor((p.y() - l.top) / l.rowHeight));
    if (row < 0 || row >= n) return std::nullopt;
    if (p.x() >= l.left.left() && p.x() <= l.left.right()) return LinkHit{LinkSide::Query, row};
    if (p.x() >= l.right.left() && p.x() <= l.right.right()) return LinkHit{LinkSide::Key, row};
    return std::nullopt;
}

void paintLinks(QPainter& painter, const QRectF& rect, const LinksSpec& s) {
    if (s.n <= 0) return;
    const LinksLayout l = linksLayout(rect, s);
    const QFont font = linksFont(rect, s);
    const QFontMetricsF fm(font);
    if (!s.title.isEmpty()) {
        QFont title = font;
        title.setBold(true);
        painter.setFont(title);
        painter.setPen(s.textColor);
        painter.drawText(l.titleRect, Qt::AlignHCenter | Qt::AlignTop, s.title);
    }
    if (!s.caption.isEmpty()) {
        painter.setFont(font);
        const QStringList lines = captionLines(fm, s.caption, l.captionRect.width() - 16);
        const QString text = lines.join(QLatin1Char('\n'));
        if (s.captionWarning) {  // an amber band: the answer is not to be trusted
            double w = 0;
            for (const QString& line : lines) w = std::max(w, fm.horizontalAdvance(line) + 16);
            const QRectF band(l.captionRect.center().x() - w / 2, l.captionRect.top(), w, l.captionRect.height());
            painter.save();
            painter.setRenderHint(QPainter::Antialiasing, true);
            painter.setPen(Qt::NoPen);
            painter.setBrush(QColor(230, 160, 40, 90));
            painter.drawRoundedRect(band, 5, 5);
            painter.restore();
        }
        painter.setPen(s.textColor);
        painter.drawText(l.captionRect, Qt::AlignCenter, text);
    }
    if (s.columnHeaders) {  // which side is which, over the columns (wider than them when needed)
        QFont small = font;
        small.setItalic(true);
        painter.setFont(small);
        QColor c = s.textColor;
        c.setAlphaF(0.7);
        painter.setPen(c);
        const QString from = QStringLiteral("attends from (queries)"), to = QStringLiteral("attends to (keys)");
        const QFontMetricsF sm(small);
        // Each over its column, widened towards the figure's middle or edge when it needs the room, and
        // elided rather than cut off at the figure's edge.
        const double wFrom = std::min(sm.horizontalAdvance(from) + 12, l.left.right() - rect.left());
        const double wTo = std::min(sm.horizontalAdvance(to) + 12, rect.right() - l.right.left());
        painter.drawText(QRectF(l.left.right() - wFrom, l.headerRect.top(), wFrom - 6, l.headerRect.height()),
                         Qt::AlignRight | Qt::AlignVCenter, sm.elidedText(from, Qt::ElideLeft, wFrom - 6));
        painter.drawText(QRectF(l.right.left() + 6, l.headerRect.top(), wTo - 6, l.headerRect.height()), Qt::AlignLeft | Qt::AlignVCenter,
                         sm.elidedText(to, Qt::ElideRight, wTo - 6));
    }
    auto y = [&](int i) { return l.top + (i + 0.5) * l.rowHeight; };
    const double xa = l.left.right() + 2, xb = l.right.left() - 2;

    // Lines: with several heads drawn at once each one's opacity is lowered so overlaps add up.
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    // Exports draw every line an alpha step can show; the screen skips lines under 2% opacity
    // (imperceptible, and each line costs time to rasterise).
    const float invisible = s.fastLines ? 0.02f : 1.0f / 255.0f;
    const double opacityScale = s.headCount() > 1 ? 0.8 : 1.0;
    // On screen, lines of one head with the same 8-bit alpha (hence the same width: both follow
    // the weight) are drawn in one call: the same pixels, less per-line overhead.
    std::vector<std::vector<QLineF>> byAlpha(256);
    // Into a plain image (the view's cache) they are rasterised directly, 10x faster.
    QImage* raster = nullptr;
    if (s.fastLines && painter.device()->devType() == QInternal::Image && !painter.hasClipping()) {
        auto* image = static_cast<QImage*>(painter.device());
        if (LineRasterizer::supports(*image, painter.deviceTransform())) raster = image;
    }
    const int heads = s.headCount();
    const bool focusOnly = s.fetch && s.fetchFocus && s.focus >= 0;
    for (int h = 0; h < heads; ++h) {
        // A long prompt's head: the focus row or column alone, else the matrix rebuilt for drawing.
        const std::vector<float> line = focusOnly ? s.fetchFocus(h, s.focus, s.focusIsKey) : std::vector<float>();
        const AttentionMatrix fetched = s.fetch && !focusOnly ? s.fetch(h) : AttentionMatrix();
        const float* a = s.fetch ? fetched.data : s.heads[size_t(h)];
        for (int i = 0; i < s.n; ++i) {
            if (s.focus >= 0 && !s.focusIsKey && i != s.focus) continue;
            for (int j = 0; j < s.n; ++j) {
                if (s.focus >= 0 && s.focusIsKey && j != s.focus) continue;
                const float w = focusOnly ? line[size_t(s.focusIsKey ? i : j)] : a[i * s.n + j];
                if (w < invisible || w < s.threshold) continue;
                const float weight = std::clamp(w, 0.0f, 1.0f);
                if (!s.fastLines) {
                    QColor c = s.colors[size_t(h)];
                    c.setAlphaF(weight * opacityScale);
                    painter.setPen(QPen(c, linkWidth(weight, l.rowHeight), Qt::SolidLine, Qt::RoundCap));
                    painter.drawLine(QPointF(xa, y(i)), QPointF(xb, y(j)));
                    continue;
                }
                byAlpha[size_t(std::lround(weight * 255))].emplace_back(xa, y(i), xb, y(j));
            }
        }
        for (size_t level = 0; level < byAlpha.size(); ++level) {
            if (byAlpha[level].empty()) continue;
            const float weight = float(level) / 255.0f;
            QColor c = s.colors[size_t(h)];
            c.setAlphaF(weight * opacityScale);
            const double lineWidth = linkWidth(weight, l.rowHeight);
            if (raster) {
                LineRasterizer::draw(*raster, painter.deviceTransform(), byAlpha[level].data(), int(byAlpha[level].size()), c, lineWidth);
            } else {
                painter.setPen(QPen(c, lineWidth, Qt::SolidLine, Qt::FlatCap));
                painter.drawLines(byAlpha[level].data(), int(byAlpha[level].size()));
            }
            byAlpha[level].clear();
        }
    }
    painter.restore();

    QFont bold = font;
    bold.setBold(true);
    for (int i = 0; i < s.n && i < s.labels.size(); ++i) {
        const bool leftFocus = s.focus == i && !s.focusIsKey, rightFocus = s.focus == i && s.focusIsKey;
        const QString text = fm.elidedText(s.labels[i], Qt::ElideRight, l.left.width() - 8);
        painter.setFont(leftFocus ? bold : font);
        painter.setPen(leftFocus ? kFocus : s.textColor);
        painter.drawText(QRectF(l.left.left(), y(i) - l.rowHeight / 2, l.left.width() - 6, l.rowHeight),
                         Qt::AlignRight | Qt::AlignVCenter, text);
        painter.setFont(rightFocus ? bold : font);
        painter.setPen(rightFocus ? kFocus : s.textColor);
        painter.drawText(QRectF(l.right.left() + 6, y(i) - l.rowHeight / 2, l.right.width() - 6, l.rowHeight),
                         Qt::AlignLeft | Qt::AlignVCenter, text);
    }
}

}  // namespace attnscope::ui
