#include "render/links_painter.h"

#include <QFontMetricsF>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attnscope::ui {
namespace {

// Rows get the room there is up to this many rows per label height; below 0.7 of a label's
// comfortable row the labels stop shrinking and a readable window of rows takes over.
constexpr double kComfortableRow = 1.25, kSmallest = 0.7;
// A windowed figure gives its readable rows this share of the height; the squeezed rest, the others.
constexpr double kWindowShare = 0.72;

bool needsWindow(const QRectF& rect, const LinksSpec& s) {
    const double room = rect.height() / (s.n + 4.5);
    return s.n > 1 && room < kSmallest * QFontMetricsF(s.font).height() * kComfortableRow;
}

}  // namespace

// Labels take the room there is: as large as the rows allow (up to 2x, so a short sentence reads
// from the back of a room in presentation mode), smaller (down to 0.7x) when rows are tight so
// they never overlap; past that (hundreds of tokens) the font stays as set and a window of rows is
// drawn readable (linksLayout). The title, caption and column headers take about four rows.
QFont linksFont(const QRectF& rect, const LinksSpec& s) {
    QFont f = s.font;
    if (s.n <= 0 || needsWindow(rect, s)) return f;
    const double room = rect.height() / (s.n + 4.5);
    const double scale = std::clamp(room / (QFontMetricsF(f).height() * kComfortableRow), kSmallest, 2.0);
    if (f.pointSizeF() > 0) f.setPointSizeF(f.pointSizeF() * scale);
    else f.setPixelSize(std::max(6, int(f.pixelSize() * scale)));
    return f;
}

// The caption broken at a space into at most two lines as even as possible (each elided to
// `width` if it still does not fit).
QStringList linksCaptionLines(const QFontMetricsF& fm, const QString& caption, double width) {
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

double linkWidth(float w, double rowHeight) {
    const double widest = std::clamp(rowHeight * 0.24, 2.0, 12.0);
    return 1.0 + (widest - 1.0) * std::clamp(double(w), 0.0, 1.0);
}

double LinksLayout::rowTop(int i) const {
    if (i <= first) return top + i * squeezed;
    if (i <= first + count) return top + first * squeezed + (i - first) * rowHeight;
    return top + first * squeezed + count * rowHeight + (i - first - count) * squeezed;
}

int LinksLayout::rowAt(double y) const {
    if (n <= 0 || y < top || y >= bottom()) return -1;
    const double a = rowTop(first), b = rowTop(first + count);
    if (y < a) return squeezed > 0 ? std::min(first - 1, int((y - top) / squeezed)) : -1;
    if (y < b) return rowHeight > 0 ? first + std::min(count - 1, int((y - a) / rowHeight)) : -1;
    return squeezed > 0 ? std::min(n - 1, first + count + int((y - b) / squeezed)) : -1;
}

LinksLayout linksLayout(const QRectF& rect, const LinksSpec& s) {
    const QFontMetricsF fm(linksFont(rect, s));
    LinksLayout l;
    l.n = std::max(0, s.n);
    double widest = 0;
    for (const QString& t : s.labels) widest = std::max(widest, fm.horizontalAdvance(t));
    const bool windowed = needsWindow(rect, s);
    // Squeezed rows' labels carry their position ("that ·12"): room for the longest number.
    const double numberW = windowed ? fm.horizontalAdvance(QStringLiteral(" ·%1").arg(s.n)) : 0;
    const double labelW = std::min(widest, fm.averageCharWidth() * 16) + 12 + numberW;
    const auto lines = double(linksCaptionLines(fm, s.caption, rect.width() - 16).size());
    const double captionH = lines > 0 ? fm.height() * (0.4 + lines) : 0;
    const double legendH = s.legendColors.empty() ? 0 : fm.height() * 1.6;
    const double headerH = s.columnHeaders ? fm.height() * 1.4 : 0;
    l.titleRect = QRectF(rect.left(), rect.top(), rect.width(), s.title.isEmpty() ? 0 : fm.height() * 1.6);
    l.captionRect = QRectF(rect.left(), l.titleRect.bottom(), rect.width(), captionH);
    l.legendRect = QRectF(rect.left(), l.captionRect.bottom() + (lines > 0 ? fm.height() * 0.3 : 0), rect.width(), legendH);
    const double titleH = l.legendRect.bottom() - rect.top() + headerH;
    if (!s.legendColors.empty()) {  // squares of a label's height, smaller when the heads are many
        const int heads = int(s.legendColors.size());
        const double side = std::max(6.0, std::min(fm.height() * 1.15, (rect.width() - 16) / heads - 3));
        const double total = heads * (side + 3) - 3;
        for (int h = 0; h < heads; ++h)
            l.legendSquares.emplace_back(l.legendRect.center().x() - total / 2 + h * (side + 3), l.legendRect.center().y() - side / 2, side, side);
    }
    const double avail = std::max(0.0, rect.height() - titleH);
    l.count = l.n;
    if (windowed) {
        l.rowHeight = fm.height() * kComfortableRow;
        l.count = std::clamp(int(avail * kWindowShare / l.rowHeight), 1, l.n - 1);
        l.squeezed = (avail - l.count * l.rowHeight) / (l.n - l.count);
        const int last = l.n - l.count;
        l.first = s.windowFirst >= 0 ? std::clamp(s.windowFirst, 0, last) : s.windowAnchor >= 0 ? std::clamp(s.windowAnchor - l.count / 2, 0, last) : 0;
        l.top = rect.top() + titleH;
    } else {
        l.rowHeight = l.n > 0 ? std::min(fm.height() * 1.7, avail / l.n) : 0;
        l.top = rect.top() + titleH + (avail - l.rowHeight * l.n) / 2;
    }
    const double gap = std::max(60.0, std::min(rect.width() - 2 * labelW, rect.width() * 0.5));
    const double x0 = rect.left() + (rect.width() - (2 * labelW + gap)) / 2;
    l.left = QRectF(x0, l.top, labelW, l.bottom() - l.top);
    l.right = QRectF(x0 + labelW + gap, l.top, labelW, l.bottom() - l.top);
    l.headerRect = QRectF(rect.left(), l.top - headerH, rect.width(), headerH);
    return l;
}

std::optional<LinkHit> linksTokenAt(const LinksLayout& l, int n, const QPointF& p) {
    if (n <= 0 || l.n != n) return std::nullopt;
    const int row = l.rowAt(p.y());
    if (row < 0) return std::nullopt;
    if (p.x() >= l.left.left() && p.x() <= l.left.right()) return LinkHit{LinkSide::Query, row};
    if (p.x() >= l.right.left() && p.x() <= l.right.right()) return LinkHit{LinkSide::Key, row};
    return std::nullopt;
}

std::optional<int> linksLegendAt(const LinksLayout& l, const QPointF& p) {
    for (size_t h = 0; h < l.legendSquares.size(); ++h)
        if (l.legendSquares[h].adjusted(-1.5, -1.5, 1.5, 1.5).contains(p)) return int(h);
    return std::nullopt;
}

}  // namespace attnscope::ui
