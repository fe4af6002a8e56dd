#include "render/qkv_painter.h"

#include "render/colormap.h"
#include "render/qkv_data.h"

#include <QFontMetricsF>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace attnscope::ui {

using namespace qkv;
std::vector<QkvStep> qkvSteps(bool rotary) {
    std::vector<QkvStep> steps;
    for (int s = 0; s < kQkvMaxSteps; ++s)
        if (rotary || QkvStep(s) != QkvStep::Rotate) steps.push_back(QkvStep(s));
    return steps;
}

QString qkvStepName(QkvStep step, bool causal, bool rotary) {
    const std::vector<QkvStep> steps = qkvSteps(rotary);
    const int number = int(std::find(steps.begin(), steps.end(), step) - steps.begin()) + 1;
    QString name;
    switch (step) {
        case QkvStep::Input: name = QStringLiteral("input x"); break;
        case QkvStep::Query: name = rotary ? QStringLiteral("query q = x W_q") : QStringLiteral("query q = x W_q + b_q"); break;
        case QkvStep::Keys: name = rotary ? QStringLiteral("keys k_j = x_j W_k") : QStringLiteral("keys k_j = x_j W_k + b_k"); break;
        case QkvStep::Rotate: name = QStringLiteral("rotate q and k by position (RoPE)"); break;
        case QkvStep::Dot: name = QStringLiteral("scores q · k_j"); break;
        case QkvStep::Scale: name = QStringLiteral("÷ √d"); break;
        case QkvStep::Mask: name = causal ? QStringLiteral("causal mask") : QStringLiteral("no mask (encoder)"); break;
        case QkvStep::Softmax: name = QStringLiteral("softmax"); break;
        case QkvStep::Weighted: name = QStringLiteral("weighted values p_j v_j"); break;
        case QkvStep::Context: name = QStringLiteral("context Σ p_j v_j"); break;
        case QkvStep::Output: name = QStringLiteral("output (all heads) W_o"); break;
    }
    return QStringLiteral("%1 · %2").arg(number).arg(name);
}

QColor divergingColor(float t, const QColor& background) {
    static const Colormap rdbu(ColormapId::RdBu);
    t = std::clamp(std::isfinite(t) ? t : 0.0f, -1.0f, 1.0f);
    const QColor c = rdbu.color(0.5f - 0.5f * t);  // the map runs blue (0) to red (1)
    if (background.lightness() >= 128) return c;  // the map itself: its middle is near white
    // On a dark background the middle is the background, so nothing is not a bright bar.
    const float a = std::abs(t);
    const QColor end = rdbu.color(t < 0 ? 0.82f : 0.18f);  // the map's ends are too dark on black
    return QColor::fromRgbF(float(background.redF()) * (1 - a) + float(end.redF()) * a, float(background.greenF()) * (1 - a) + float(end.greenF()) * a,
                            float(background.blueF()) * (1 - a) + float(end.blueF()) * a);
}

namespace {

const QColor kCurrent(230, 60, 40);
const QColor kBar(68, 119, 170);
const QColor kNegative(204, 102, 119);

// Values as a row of cells on the diverging colours, scaled by `scale` (their largest magnitude).
void strip(QPainter& p, const QRectF& r, const float* v, int count, double scale, const QColor& background) {
    if (count <= 0 || r.width() <= 0 || r.height() <= 0) return;
    const double w = r.width() / count;
    p.setPen(Qt::NoPen);
    for (int e = 0; e < count; ++e)
        p.fillRect(QRectF(r.left() + e * w, r.top(), w + 0.3, r.height()), divergingColor(scale > 0 ? float(v[e] / scale) : 0.0f, background));
}

double norm(const float* v, int count) {
    double s = 0;
    for (int e = 0; e < count; ++e) s += double(v[e]) * v[e];
    return std::sqrt(s);
}

QString number(double v) { return QString::number(v, 'f', 2).replace(QLatin1Char('-'), QChar(0x2212)); }

// A signed bar from the middle of r (width scaled by `scale`), its value written beside it (words).
void signedBar(QPainter& p, const QRectF& r, double value, double scale, const QFontMetricsF& fm, const QColor& text, bool words) {
    const double mid = r.left() + r.width() * 0.5;
    const double half = words ? std::max(4.0, r.width() * 0.5 - fm.horizontalAdvance(QStringLiteral("−000.00")) - 4) : r.width() * 0.5 - 2;
    const double w = scale > 0 ? half * value / scale : 0;
    p.fillRect(QRectF(std::min(mid, mid + w), r.top() + r.height() * 0.2, std::abs(w), r.height() * 0.6), value >= 0 ? kBar : kNegative);
    p.setPen(QPen(text, 0.5));
    p.drawLine(QPointF(mid, r.top()), QPointF(mid, r.bottom()));
    if (!words) return;
    p.setPen(text);
    // The number on the side away from the bar: it never runs into it.
    const QRectF label = value >= 0 ? QRectF(r.left(), r.top(), mid - r.left() - 3, r.height()) : QRectF(mid + 3, r.top(), r.right() - mid - 3, r.height());
    p.drawText(label, (value >= 0 ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, number(value));
}

}  // namespace

QkvLayout qkvLayout(const QRectF& rect, const QkvSpec& s) {
    const QFontMetricsF fm(s.font);
    QkvLayout l;
    if (!s.trace) return l;
    const int n = s.trace->tokens();
    const bool rotary = s.trace->rotary();
    l.line = fm.height() * 1.35;
    const double line = l.line;
    // Vertical: title, x, q (, q rotated), column titles, key rows, context, output, colour scale.
    const int headerRows = rotary ? 3 : 2;
    l.title = QRectF(rect.left(), rect.top(), rect.width(), line);
    const double fixed = line * (1 + headerRows + 0.3 + 1 + 0.3 + 2 + 1.1);
    const double avail = std::max(0.0, rect.height() - fixed);
    const double legible = fm.height() * 1.08;  // a row whose label and numbers can be read
    l.rowHeight = n > 0 ? std::min(line, avail / n) : 0;
    l.keyCount = n;
    if (!s.allKeys && n > 0 && l.rowHeight < legible) {  // a page of legible rows
        l.rowHeight = legible;
        l.keyCount = std::max(1, int((avail - line * 0.6) / legible));  // the page note takes 0.6 line more
        if (l.keyCount >= n) l.keyCount = n;
    }
    l.firstKey = std::clamp(s.firstKey, 0, std::max(0, n - l.keyCount));
    if (l.keyCount == n) l.firstKey = 0;
    l.words = l.rowHeight >= fm.height() * 0.8;

    // Horizontal: the vector rows' label column fits its longest step name (up to 45%).
    double widest = 0;
    for (int r = 0; r < kQkvVectorRows; ++r) widest = std::max(widest, fm.horizontalAdvance(vectorName(QkvVector(r), s)));
    QFont bold = s.font;
    bold.setBold(true);
    const double labelW = std::min(rect.width() * 0.45, QFontMetricsF(bold).horizontalAdvance(QStringLiteral("M")) + widest * 1.08 + 12);
    const double normW = fm.horizontalAdvance(QStringLiteral("‖o‖ 000.00")) + 8;
    double y = l.title.bottom();
    auto place = [&](QkvVector row, double top) {
        const int r = int(row);
        l.vectorLabel[r] = QRectF(rect.left(), top, labelW - 8, line);
        l.vectorStrip[r] = QRectF(rect.left() + labelW, top + line * 0.15, std::max(10.0, rect.width() - labelW - normW), line * 0.7);
        l.vectorNorm[r] = QRectF(rect.right() - normW + 4, top, normW - 4, line);
    };
    place(QkvVector::Input, y);
    place(QkvVector::Query, y += line);
    if (rotary) place(QkvVector::Rotated, y += line);
    y += line * 1.3;
    l.titlesTop = y;
    l.top = y + line;
    const double rowsBottom = l.top + l.rowHeight * l.keyCount;
    y = rowsBottom + line * 0.3;
    if (l.keyCount < n) {
        l.pageNote = QRectF(rect.left(), rowsBottom, rect.width(), line * 0.9);
        y = l.pageNote.bottom();
    }
    place(QkvVector::Context, y);
    place(QkvVector::Output, y += line);
    l.legend = QRectF(rect.left(), y + line * 1.1, rect.width(), line);

    // The key table: label | k_j | q·k | ÷√d | mask | softmax | v_j | p_j v_j. Numbers need their
    // width; when the figure is too narrow the numeric columns keep their bars and lose the words.
    const double gap = 8;
    double labelCol = 0;
    for (int j = 0; j < n; ++j) labelCol = std::max(labelCol, fm.horizontalAdvance(s.labels.value(j)));
    labelCol = std::clamp(labelCol + 10, fm.horizontalAdvance(QStringLiteral("key token j")) + 4, std::max(fm.averageCharWidth() * 14, fm.horizontalAdvance(QStringLiteral("key token j")) + 4));
    const double num = fm.horizontalAdvance(QStringLiteral("−000.00")) * 2 + 16;
    const double mask = std::max(fm.horizontalAdvance(QStringLiteral("mask")), fm.horizontalAdvance(QStringLiteral("−∞"))) + 8;
    const double soft = fm.horizontalAdvance(QStringLiteral("100.0%")) + 36;
    double widths[kQkvColumns] = {labelCol, 0, num, num, mask, soft, 0, 0};
    const double minVector = 48;
    double rest = rect.width() - gap * (kQkvColumns - 1) - (labelCol + 2 * num + mask + soft);
    if (rest < 3 * minVector) {  // bars only in the number columns
        widths[2] = widths[3] = 44;
        widths[5] = 56;
        l.columnWords[2] = l.columnWords[3] = l.columnWords[5] = false;
        rest = rect.width() - gap * (kQkvColumns - 1) - (labelCol + 88 + mask + 56);
    }
    widths[1] = widths[6] = widths[7] = std::max(10.0, rest / 3);
    double x = rect.left();
    for (int c = 0; c < kQkvColumns; ++c) {
        l.columns[c] = QRectF(x, l.top, widths[c], l.rowHeight * l.keyCount);
        x += widths[c] + gap;
        if (!l.words) l.columnWords[c] = false;
    }
    return l;
}

void paintQkv(QPainter& p, const QRectF& rect, const QkvSpec& s) {
    if (!s.trace || s.trace->tokens() <= 0) return;
    const QkvData data(s);
    const int n = data.n, d = data.d, i = data.i;
    const int step = int(s.step);
    const QkvLayout l = qkvLayout(rect, s);
    const QFontMetricsF fm(s.font);
    QFont bold = s.font;
    bold.setBold(true);
    const double line = l.line;
    p.save();
    p.setClipRect(rect.adjusted(-2, -2, 2, 2));
    auto reveal = [&](QkvStep which) { return step >= int(which); };
    auto title = [&](const QRectF& r, const QString& text, QkvStep which, Qt::Alignment align = Qt::AlignLeft) {
        const bool current = int(which) == step;
        p.setFont(current ? bold : s.font);
        p.setPen(current ? kCurrent : s.textColor);
        p.drawText(r, align | Qt::AlignVCenter, QFontMetricsF(p.font()).elidedText(text, Qt::ElideRight, r.width()));
    };

    const core::AttentionTrace& t = data.t;
    p.setFont(bold);
    p.setPen(s.textColor);
    const QString heading = QStringLiteral("Layer %1 · Head %2%6 · query token #%3 “%4”   (d = %5)")
                                .arg(s.layer).arg(s.head).arg(i).arg(s.labels.value(i)).arg(d)
                                .arg(t.kvHeads() < t.heads() ? QStringLiteral(" (shares key/value head %1 of %2)").arg(t.kvHeadOf(s.head)).arg(t.kvHeads())
                                                             : QString());
    p.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter, QFontMetricsF(bold).elidedText(heading, Qt::ElideRight, l.title.width()));

    // The query token's vectors, each strip scaled to its own largest magnitude, with its length.
    for (int r = 0; r < kQkvVectorRows; ++r) {
        const auto row = QkvVector(r);
        if (l.vectorLabel[r].isEmpty() || !reveal(vectorStep(row))) continue;
        const auto [values, count] = data.vector(row, s);
        title(l.vectorLabel[r], vectorName(row, s), vectorStep(row));
        strip(p, l.vectorStrip[r], values, count, maxAbs(values, count), s.background);
        p.setFont(s.font);
        p.setPen(s.textColor);
        p.drawText(l.vectorNorm[r], Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(QStringLiteral("‖%1‖ %2").arg(QLatin1String(vectorSymbol(row)), number(norm(values, count))), Qt::ElideLeft, l.vectorNorm[r].width()));
    }

    // Column titles.
    for (int c = 0; c < kQkvColumns; ++c) {
        const auto col = QkvColumn(c);
        if (reveal(columnStep(col, data.turned)))
            title(QRectF(l.columns[c].left(), l.titlesTop, l.columns[c].width(), line), columnTitle(col, data), columnStep(col, data.turned),
                  col == QkvColumn::Label ? Qt::AlignRight : Qt::AlignLeft);
    }

    // The key rows shown: scales shared across all n rows, so a page looks like the whole.
    double maxDot = 0, maxK = 0, maxV = 0, maxPv = 0;
    for (int j = 0; j < n; ++j) {
        maxDot = std::max(maxDot, double(std::abs(data.raw[j])));
        maxK = std::max(maxK, maxAbs(data.key(j, s.layer).data(), d));
        maxV = std::max(maxV, maxAbs(data.v + int64_t(j) * data.kvStride, d));
        maxPv = std::max(maxPv, double(data.probs[j]) * maxAbs(data.v + int64_t(j) * data.kvStride, d));
    }
    const double maxScaled = maxDot / data.sqrtD;
    std::vector<float> pv(static_cast<size_t>(d));
    for (int j = l.firstKey; j < l.firstKey + l.keyCount && reveal(QkvStep::Keys); ++j) {
        const double y = l.top + (j - l.firstKey) * l.rowHeight;
        const bool masked = data.causal && j > i;
        auto cell = [&](QkvColumn c) { return QRectF(l.columns[int(c)].left(), y, l.columns[int(c)].width(), l.rowHeight); };
        auto inset = [&](QkvColumn c) { return cell(c).adjusted(0, l.rowHeight * 0.12, 0, -l.rowHeight * 0.12); };
        if (l.words) {
            p.setFont(j == i ? bold : s.font);
            p.setPen(j == i ? kCurrent : s.textColor);
            const QRectF c = cell(QkvColumn::Label).adjusted(0, 0, -4, 0);
            p.drawText(c, Qt::AlignRight | Qt::AlignVCenter, QFontMetricsF(p.font()).elidedText(s.labels.value(j), Qt::ElideRight, c.width()));
            p.setFont(s.font);
        }
        strip(p, inset(QkvColumn::Key), data.key(j, s.layer).data(), d, maxK, s.background);
        if (reveal(QkvStep::Dot)) signedBar(p, cell(QkvColumn::Dot), data.raw[j], maxDot, fm, s.textColor, l.columnWords[int(QkvColumn::Dot)]);
        if (reveal(QkvStep::Scale))
            signedBar(p, cell(QkvColumn::Scaled), data.raw[j] / data.sqrtD, maxScaled, fm, s.textColor, l.columnWords[int(QkvColumn::Scaled)]);
        if (reveal(QkvStep::Mask) && l.words) {
            p.setPen(masked ? kNegative : s.textColor);
            p.drawText(cell(QkvColumn::Mask), Qt::AlignCenter, masked ? QStringLiteral("−∞") : QStringLiteral("·"));
        }
        if (reveal(QkvStep::Softmax)) {
            const QRectF c = cell(QkvColumn::Softmax);
            const bool words = l.columnWords[int(QkvColumn::Softmax)];
            const double barRoom = c.width() - (words ? fm.horizontalAdvance(QStringLiteral("100.0%")) + 6 : 2);
            const double barW = std::max(0.0, barRoom) * data.probs[j];
            p.fillRect(QRectF(c.left(), c.top() + c.height() * 0.2, barW, c.height() * 0.6), kBar);
            if (words) {
                p.setPen(s.textColor);
                p.drawText(QRectF(c.left() + barW + 3, c.top(), c.width() - barW - 3, c.height()), Qt::AlignLeft | Qt::AlignVCenter,
                           QString::number(data.probs[j] * 100, 'f', 1) + QLatin1Char('%'));
            }
        }
        if (reveal(QkvStep::Weighted)) {
            const float* vj = data.v + int64_t(j) * data.kvStride;
            strip(p, inset(QkvColumn::Value), vj, d, maxV, s.background);
            for (int e = 0; e < d; ++e) pv[size_t(e)] = data.probs[j] * vj[e];
            strip(p, inset(QkvColumn::Weighted), pv.data(), d, maxPv, s.background);  // small weights fade out
        }
    }
    if (!l.pageNote.isEmpty() && reveal(QkvStep::Keys)) {
        p.setFont(s.font);
        QColor c = s.textColor;
        c.setAlphaF(0.75);
        p.setPen(c);
        const QString note = QStringLiteral("keys %1–%2 of %3 · scroll for the others (the query token is kept in view)")
                                 .arg(l.firstKey + 1).arg(l.firstKey + l.keyCount).arg(n);
        p.drawText(l.pageNote, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(note, Qt::ElideRight, l.pageNote.width()));
    }

    // The colour scale of every red/blue strip.
    if (reveal(QkvStep::Input)) {
        p.setFont(s.font);
        p.setPen(s.textColor);
        const QString lo = QStringLiteral("−max");
        const double barW = std::min(200.0, l.legend.width() * 0.25);
        const QRectF bar(l.legend.left() + fm.horizontalAdvance(lo) + 6, l.legend.top() + line * 0.2, barW, line * 0.6);
        for (int e = 0; e < 64; ++e)
            p.fillRect(QRectF(bar.left() + e * barW / 64, bar.top(), barW / 64 + 0.3, bar.height()), divergingColor(-1.0f + 2.0f * (e + 0.5f) / 64, s.background));
        p.setPen(QPen(s.textColor, 0.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(bar);
        p.setPen(s.textColor);
        p.drawText(QRectF(l.legend.left(), l.legend.top(), bar.left() - l.legend.left() - 4, line), Qt::AlignRight | Qt::AlignVCenter, lo);
        const QString explain = QStringLiteral("+max    red negative · blue positive · 0 blank; each strip to its largest |value| "
                                               "(k_j, v_j, p_j v_j: to the largest of all keys); hover for values");
        const QRectF after(bar.right() + 6, l.legend.top(), l.legend.right() - bar.right() - 6, line);
        p.drawText(after, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(explain, Qt::ElideRight, after.width()));
    }
    p.restore();
}

}  // namespace attnscope::ui
