#include "render/links_painter.h"

#include "render/line_rasterizer.h"
#include "render/figure_marks.h"

#include <QImage>

#include <algorithm>
#include <cmath>
#include <vector>

namespace attnscope::ui {
namespace {

void paintHeader(QPainter& painter, const QRectF& rect, const LinksLayout& l, const LinksSpec& s, const QFont& font) {
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
        const QStringList lines = linksCaptionLines(fm, s.caption, l.captionRect.width() - 16);
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
        painter.drawText(l.captionRect, Qt::AlignCenter, lines.join(QLatin1Char('\n')));
    }
    // The head legend: a filled square per head drawn, a hollow one per head switched off.
    for (size_t h = 0; h < l.legendSquares.size(); ++h) {
        const QRectF& sq = l.legendSquares[h];
        const QColor c = s.legendColors[h];
        const bool shown = h < s.legendShown.size() && s.legendShown[h];
        painter.save();
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setPen(QPen(c, 1.5));
        painter.setBrush(shown ? QBrush(c) : Qt::NoBrush);
        painter.drawRoundedRect(sq.adjusted(0.75, 0.75, -0.75, -0.75), 2, 2);
        QFont small = font;
        small.setPixelSize(std::max(6, int(sq.height() * 0.62)));
        painter.setFont(small);
        painter.setPen(shown ? (c.lightnessF() > 0.6 ? QColor(20, 20, 20) : QColor(Qt::white)) : s.textColor);
        painter.drawText(sq, Qt::AlignCenter, QString::number(h));
        painter.restore();
    }
    if (s.columnHeaders) {  // which side is which, over the columns (wider than them when needed)
        QFont small = font;
        small.setItalic(true);
        const QString from = QStringLiteral("attends from (queries)"), to = QStringLiteral("attends to (keys)");
        // A narrow column first gets a smaller font (down to 70%), so the words stay whole; only
        // past that are they elided.
        const double roomFrom = l.left.right() - rect.left() - 6, roomTo = rect.right() - l.right.left() - 6;
        const double need = std::max(QFontMetricsF(small).horizontalAdvance(from) / std::max(1.0, roomFrom),
                                     QFontMetricsF(small).horizontalAdvance(to) / std::max(1.0, roomTo));
        if (need > 1.0 && small.pixelSize() > 0)
            small.setPixelSize(std::max(6, int(small.pixelSize() * std::max(0.7, 1.0 / need))));
        else if (need > 1.0 && small.pointSizeF() > 0)
            small.setPointSizeF(std::max(5.0, small.pointSizeF() * std::max(0.7, 1.0 / need)));
        painter.setFont(small);
        QColor c = s.textColor;
        c.setAlphaF(0.7);
        painter.setPen(c);
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
}

// Where labels may go in one column of a windowed figure: the window's rows are taken, and each
// label placed outside it takes its own height (no two overlap).
class LabelRoom {
public:
    void take(double top, double bottom) { m_taken.emplace_back(top, bottom); }
    bool fits(double top, double bottom) const {
        for (const auto& [a, b] : m_taken)
            if (top < b && bottom > a) return false;
        return true;
    }

private:
    std::vector<std::pair<double, double>> m_taken;
};

}  // namespace

void paintLinks(QPainter& painter, const QRectF& rect, const LinksSpec& s) {
    if (s.n <= 0) return;
    const LinksLayout l = linksLayout(rect, s);
    const QFont font = linksFont(rect, s);
    const QFontMetricsF fm(font);
    paintHeader(painter, rect, l, s, font);
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
    // The focus's partners (the other end of its lines): their strongest weight over the heads.
    std::vector<float> partner(s.focus >= 0 ? size_t(s.n) : 0, 0.0f);
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
                if (!partner.empty()) partner[size_t(s.focusIsKey ? i : j)] = std::max(partner[size_t(s.focusIsKey ? i : j)], weight);
                if (!s.fastLines) {
                    QColor c = s.colors[size_t(h)];
                    c.setAlphaF(weight * opacityScale);
                    painter.setPen(QPen(c, linkWidth(weight, l.rowHeight), Qt::SolidLine, Qt::RoundCap));
                    painter.drawLine(QPointF(xa, l.rowCenter(i)), QPointF(xb, l.rowCenter(j)));
                    continue;
                }
                byAlpha[size_t(std::lround(weight * 255))].emplace_back(xa, l.rowCenter(i), xb, l.rowCenter(j));
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
    QColor dim = s.textColor;
    dim.setAlphaF(0.55);
    // One label: right-aligned in the query column, left-aligned in the key column, centred on its row.
    auto label = [&](int i, bool keySide, double height, bool strong, bool numbered = false) {
        const bool isFocus = s.focus == i && s.focusIsKey == keySide;
        const QRectF& column = keySide ? l.right : l.left;
        const double cy = std::clamp(l.rowCenter(i), l.top + height / 2, l.bottom() - height / 2);
        const QRectF box = keySide ? QRectF(column.left() + 6, cy - height / 2, column.width() - 6, height)
                                   : QRectF(column.left(), cy - height / 2, column.width() - 6, height);
        painter.setFont(isFocus ? bold : font);
        painter.setPen(isFocus ? kFocus : strong ? s.textColor : dim);
        // A label among squeezed rows carries its position, so a sample is not read as neighbours.
        const QString text = numbered ? (keySide ? QStringLiteral("%1 ·%2") : QStringLiteral("%2· %1")).arg(s.labels.value(i)).arg(i) : s.labels.value(i);
        painter.drawText(box, (keySide ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter,
                         fm.elidedText(text, Qt::ElideRight, column.width() - 8));
    };
    for (int i = l.first; i < l.first + l.count && i < s.labels.size(); ++i)
        for (bool keySide : {false, true}) label(i, keySide, l.rowHeight, true);
    if (!l.windowed()) return;

    // Outside the window rows are squeezed: a faint band shows where, and labels are thinned to
    // those that do not overlap, the focus, the hovered token and the focus's strongest partners first.
    QColor band = s.textColor;
    band.setAlphaF(0.07);
    for (const QRectF& column : {l.left, l.right}) {
        painter.fillRect(QRectF(column.left(), l.top, column.width(), l.rowTop(l.first) - l.top), band);
        painter.fillRect(QRectF(column.left(), l.rowTop(l.first + l.count), column.width(), l.bottom() - l.rowTop(l.first + l.count)), band);
    }
    const double h = fm.height();
    LabelRoom room[2];
    for (LabelRoom& r : room) r.take(l.rowTop(l.first), l.rowTop(l.first + l.count));
    auto place = [&](int i, bool keySide, bool strong) {
        if (i < 0 || i >= s.n || (i >= l.first && i < l.first + l.count)) return;
        const double cy = std::clamp(l.rowCenter(i), l.top + h / 2, l.bottom() - h / 2);
        if (!room[keySide].fits(cy - h / 2, cy + h / 2)) return;
        room[keySide].take(cy - h / 2, cy + h / 2);
        label(i, keySide, h, strong, true);
    };
    for (bool keySide : {false, true}) place(s.focus, keySide, true), place(s.hovered, keySide, true);
    std::vector<int> partners;
    for (int j = 0; j < int(partner.size()); ++j)
        if (partner[size_t(j)] >= 0.05f) partners.push_back(j);
    std::sort(partners.begin(), partners.end(), [&](int a, int b) { return partner[size_t(a)] > partner[size_t(b)]; });
    for (int j : partners) place(j, !s.focusIsKey, true);
    for (int i = 0; i < s.n; ++i)
        for (bool keySide : {false, true}) place(i, keySide, false);
}

}  // namespace attnscope::ui
