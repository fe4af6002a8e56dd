#include "render/qkv_painter.h"

#include "render/colormap.h"

#include <QFontMetricsF>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace attnscope::ui {
namespace {

const QColor kCurrent(230, 60, 40);
const QColor kBar(68, 119, 170);
const QColor kNegative(204, 102, 119);

// Values as a row of cells on the diverging map, scaled by their largest magnitude.
void strip(QPainter& p, const QRectF& r, const float* v, int count, int stride = 1) {
    if (count <= 0 || r.width() <= 0) return;
    float m = 0;
    for (int i = 0; i < count; ++i) m = std::max(m, std::abs(v[i * stride]));
    const Colormap map(ColormapId::RdBu);
    const double w = r.width() / count;
    p.setPen(Qt::NoPen);
    for (int i = 0; i < count; ++i)
        p.fillRect(QRectF(r.left() + i * w, r.top(), w + 0.3, r.height()), map.color(m > 0 ? 0.5f + 0.5f * v[i * stride] / m : 0.5f));
}

double norm(const float* v, int count, int stride = 1) {
    double s = 0;
    for (int i = 0; i < count; ++i) s += double(v[i * stride]) * v[i * stride];
    return std::sqrt(s);
}

// A signed bar from the middle of r (width scaled by `scale`), with the value written beside it.
void signedBar(QPainter& p, const QRectF& r, double value, double scale, const QFontMetricsF& fm, const QColor& text, bool words = true) {
    const double mid = r.left() + r.width() * 0.5;
    const double half = r.width() * 0.5 - fm.horizontalAdvance(QStringLiteral("-00.00")) * 0.5;
    const double w = scale > 0 ? half * value / scale : 0;
    p.fillRect(QRectF(std::min(mid, mid + w), r.top() + r.height() * 0.2, std::abs(w), r.height() * 0.6), value >= 0 ? kBar : kNegative);
    p.setPen(QPen(text, 0.5));
    p.drawLine(QPointF(mid, r.top()), QPointF(mid, r.bottom()));
    if (!words) return;
    p.setPen(text);
    const QString s = QString::number(value, 'f', 2);
    const QRectF label = value >= 0 ? QRectF(r.left(), r.top(), mid - r.left() - 3, r.height())
                                    : QRectF(mid + 3, r.top(), r.right() - mid - 3, r.height());
    p.drawText(label, (value >= 0 ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, s);
}

}  // namespace

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

QkvLayout qkvLayout(const QRectF& rect, const QkvSpec& s) {
    const QFontMetricsF fm(s.font);
    QkvLayout l;
    const int n = s.trace ? s.trace->tokens() : 0;
    const double line = fm.height() * 1.5;
    const bool rotary = s.trace && s.trace->rotary();  // one more strip: q after the rotation
    l.header = QRectF(rect.left(), rect.top(), rect.width(), line * (rotary ? 5.2 : 4));
    l.footer = QRectF(rect.left(), rect.bottom() - line * 2.6, rect.width(), line * 2.6);
    const double headerRow = line * 1.2;  // column titles
    l.top = l.header.bottom() + headerRow;
    l.rowHeight = n > 0 ? std::min(line, (l.footer.top() - l.top - 4) / n) : 0;
    // The context follows the rows when there is room to spare.
    l.footer.moveTop(std::min(l.footer.top(), l.top + l.rowHeight * n + line * 0.5));
    // label | k_j | q.k | /sqrt(d) | mask | softmax | p v_j
    const double weights[7] = {0.11, 0.19, 0.15, 0.12, 0.07, 0.17, 0.19};
    double x = rect.left();
    const double gap = 8, avail = rect.width() - gap * 6;
    for (int c = 0; c < 7; ++c) {
        l.columns[c] = QRectF(x, l.top, avail * weights[c], l.rowHeight * n);
        x += avail * weights[c] + gap;
    }
    return l;
}

void paintQkv(QPainter& p, const QRectF& rect, const QkvSpec& s) {
    if (!s.trace) return;
    const core::AttentionTrace& t = *s.trace;
    const int n = t.tokens(), d = t.headDim(), H = t.hidden();
    const int i = std::clamp(s.query, 0, n - 1);
    const bool causal = t.shape().causal;
    const int step = int(s.step);
    const QkvLayout l = qkvLayout(rect, s);
    const QFontMetricsF fm(s.font);
    QFont bold = s.font;
    bold.setBold(true);
    const double line = fm.height() * 1.5;
    const bool rotary = t.rotary();
    const float* q = t.qRow(s.layer, s.head, i);                                  // (d) after RoPE when rotary
    const int kvStride = t.shape().kvWidth();                                     // k, v: row j at + j kvStride
    const float* k = t.kRow(s.layer, s.head, 0);
    const float* v = t.vRow(s.layer, s.head, 0);
    const core::HeadMatrices head = t.head(s.layer, s.head);
    const float* raw = head.rawRow(i);                                            // (n)
    const float* probs = head.probsRow(i);                                        // (n)
    const float sqrtD = 1.0f / t.shape().scale();  // √d, or Gemma's √query_pre_attn_scalar

    auto title = [&](const QRectF& r, const QString& text, QkvStep which) {
        const bool current = int(which) == step;
        p.setFont(current ? bold : s.font);
        p.setPen(current ? kCurrent : s.textColor);
        p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(text, Qt::ElideRight, r.width()));
    };
    auto reveal = [&](QkvStep which) { return step >= int(which); };
    // Rotary models: q and k as the projections made them until the rotation step, turned after.
    const bool turned = rotary && reveal(QkvStep::Rotate);
    const std::vector<float> qBefore = rotary ? t.unrotated(s.layer, q, i) : std::vector<float>();

    // Header: the query token's input and its query vector.
    p.setFont(bold);
    p.setPen(s.textColor);
    p.drawText(QRectF(rect.left(), rect.top(), rect.width(), line),
               Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("Layer %1 · Head %2%6 · query token #%3 “%4”   (d = %5)")
                   .arg(s.layer).arg(s.head).arg(i).arg(s.labels.value(i)).arg(d)
                   .arg(t.kvHeads() < t.heads() ? QStringLiteral(" (shares key/value head %1 of %2)").arg(t.kvHeadOf(s.head)).arg(t.kvHeads())
                                                : QString()));
    const double labelW = rect.width() * 0.3;
    const QRectF xRow(rect.left(), rect.top() + line, rect.width(), line), qRow(rect.left(), rect.top() + line * 2.2, rect.width(), line);
    title(QRectF(xRow.left(), xRow.top(), labelW, line), qkvStepName(QkvStep::Input, causal, rotary), QkvStep::Input);
    strip(p, QRectF(xRow.left() + labelW, xRow.top() + 3, rect.width() - labelW - 90, line - 6), t.attnInput(s.layer) + int64_t(i) * H, H);
    p.setFont(s.font);
    p.setPen(s.textColor);
    p.drawText(QRectF(rect.right() - 85, xRow.top(), 85, line), Qt::AlignRight | Qt::AlignVCenter,
               QStringLiteral("‖x‖ %1").arg(norm(t.attnInput(s.layer) + int64_t(i) * H, H), 0, 'f', 2));
    if (reveal(QkvStep::Query)) {
        const float* shown = rotary ? qBefore.data() : q;
        title(QRectF(qRow.left(), qRow.top(), labelW, line), qkvStepName(QkvStep::Query, causal, rotary), QkvStep::Query);
        strip(p, QRectF(qRow.left() + labelW, qRow.top() + 3, rect.width() - labelW - 90, line - 6), shown, d);
        p.setFont(s.font);
        p.setPen(s.textColor);
        p.drawText(QRectF(rect.right() - 85, qRow.top(), 85, line), Qt::AlignRight | Qt::AlignVCenter,
                   QStringLiteral("‖q‖ %1").arg(norm(shown, d), 0, 'f', 2));
    }
    if (turned) {  // the same vector turned pair by pair: its length is unchanged
        const QRectF rRow(rect.left(), rect.top() + line * 3.4, rect.width(), line);
        title(QRectF(rRow.left(), rRow.top(), labelW, line),
              qkvStepName(QkvStep::Rotate, causal, rotary).section(QStringLiteral(" · "), 0, 0) +
                  QStringLiteral(" · q rotated by position %1 (RoPE)").arg(i),
              QkvStep::Rotate);
        strip(p, QRectF(rRow.left() + labelW, rRow.top() + 3, rect.width() - labelW - 90, line - 6), q, d);
        p.setFont(s.font);
        p.setPen(s.textColor);
        p.drawText(QRectF(rect.right() - 85, rRow.top(), 85, line), Qt::AlignRight | Qt::AlignVCenter,
                   QStringLiteral("‖q‖ %1").arg(norm(q, d), 0, 'f', 2));
    }

    // Column titles.
    const double titleY = l.top - line * 1.2;
    const QkvStep columnStep[7] = {QkvStep::Keys, turned ? QkvStep::Rotate : QkvStep::Keys, QkvStep::Dot, QkvStep::Scale, QkvStep::Mask, QkvStep::Softmax, QkvStep::Weighted};
    const QString columnTitle[7] = {QStringLiteral("key token"), turned ? QStringLiteral("k_j rotated by j") : QStringLiteral("k_j"), QStringLiteral("q · k_j"),
                                    QStringLiteral("÷ √%1").arg(std::lround(double(sqrtD) * sqrtD)), QStringLiteral("mask"), QStringLiteral("softmax p_j"),
                                    QStringLiteral("p_j v_j")};
    for (int c = 0; c < 7; ++c)
        if (reveal(columnStep[c])) title(QRectF(l.columns[c].left(), titleY, l.columns[c].width(), line), columnTitle[c], columnStep[c]);

    // One row per key token.
    double maxDot = 0, maxScaled = 0, maxPv = 0;
    for (int j = 0; j < n; ++j) {
        maxDot = std::max(maxDot, double(std::abs(raw[j])));
        for (int c = 0; c < d; ++c) maxPv = std::max(maxPv, double(std::abs(probs[j] * v[int64_t(j) * kvStride + c])));
    }
    maxScaled = maxDot / sqrtD;
    const Colormap rdbu(ColormapId::RdBu);
    // Rows thinner than legible text (hundreds of keys) keep their colours and bars, not their words.
    const bool words = l.rowHeight >= fm.height() * 0.6;
    for (int j = 0; j < n && reveal(QkvStep::Keys); ++j) {
        const double y = l.top + j * l.rowHeight;
        const bool masked = causal && j > i;
        auto cell = [&](int c) { return QRectF(l.columns[c].left(), y, l.columns[c].width(), l.rowHeight); };
        p.setFont(j == i ? bold : s.font);
        p.setPen(j == i ? kCurrent : s.textColor);
        if (words)
            p.drawText(cell(0).adjusted(0, 0, -4, 0), Qt::AlignRight | Qt::AlignVCenter, fm.elidedText(s.labels.value(j), Qt::ElideRight, cell(0).width() - 4));
        p.setFont(s.font);
        const float* kj = k + int64_t(j) * kvStride;  // (d)
        if (rotary && !turned) strip(p, cell(1).adjusted(0, l.rowHeight * 0.15, 0, -l.rowHeight * 0.15), t.unrotated(s.layer, kj, j).data(), d);
        else strip(p, cell(1).adjusted(0, l.rowHeight * 0.15, 0, -l.rowHeight * 0.15), kj, d);
        if (reveal(QkvStep::Dot)) signedBar(p, cell(2), raw[j], maxDot, fm, s.textColor, words);
        if (reveal(QkvStep::Scale)) signedBar(p, cell(3), raw[j] / sqrtD, maxScaled, fm, s.textColor, words);
        if (reveal(QkvStep::Mask) && words) {
            p.setPen(masked ? kNegative : s.textColor);
            p.drawText(cell(4), Qt::AlignCenter, masked ? QStringLiteral("−∞") : QStringLiteral("·"));
        }
        if (reveal(QkvStep::Softmax)) {
            const QRectF c = cell(5);
            const double barW = (c.width() - fm.horizontalAdvance(QStringLiteral("100.0%")) - 4) * probs[j];
            p.fillRect(QRectF(c.left(), c.top() + c.height() * 0.2, barW, c.height() * 0.6), kBar);
            p.setPen(s.textColor);
            if (words)
                p.drawText(QRectF(c.left() + barW + 3, c.top(), c.width(), c.height()), Qt::AlignLeft | Qt::AlignVCenter,
                           QString::number(probs[j] * 100, 'f', 1) + QLatin1Char('%'));
        }
        if (reveal(QkvStep::Weighted)) {
            const QRectF c = cell(6).adjusted(0, l.rowHeight * 0.15, 0, -l.rowHeight * 0.15);
            const double w = c.width() / d;
            p.setPen(Qt::NoPen);
            for (int e = 0; e < d; ++e) {  // shared scale across rows, so small weights fade out
                const float pv = probs[j] * v[int64_t(j) * kvStride + e];
                p.fillRect(QRectF(c.left() + e * w, c.top(), w + 0.3, c.height()), rdbu.color(maxPv > 0 ? float(0.5 + 0.5 * pv / maxPv) : 0.5f));
            }
        }
    }

    // Footer: the context vector and the layer's attention output.
    const QRectF cRow(rect.left(), l.footer.top() + line * 0.3, rect.width(), line), oRow(rect.left(), l.footer.top() + line * 1.5, rect.width(), line);
    if (reveal(QkvStep::Context)) {
        const float* ctx = t.contextRow(s.layer, s.head, i);
        title(QRectF(cRow.left(), cRow.top(), labelW, line), qkvStepName(QkvStep::Context, causal, rotary), QkvStep::Context);
        strip(p, QRectF(cRow.left() + labelW, cRow.top() + 3, rect.width() - labelW - 90, line - 6), ctx, d);
        p.setFont(s.font);
        p.setPen(s.textColor);
        p.drawText(QRectF(rect.right() - 85, cRow.top(), 85, line), Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("‖c‖ %1").arg(norm(ctx, d), 0, 'f', 2));
    }
    if (reveal(QkvStep::Output)) {
        const float* out = t.attnOutput(s.layer) + int64_t(i) * H;
        title(QRectF(oRow.left(), oRow.top(), labelW, line), qkvStepName(QkvStep::Output, causal, rotary), QkvStep::Output);
        strip(p, QRectF(oRow.left() + labelW, oRow.top() + 3, rect.width() - labelW - 90, line - 6), out, H);
        p.setFont(s.font);
        p.setPen(s.textColor);
        p.drawText(QRectF(rect.right() - 85, oRow.top(), 85, line), Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("‖o‖ %1").arg(norm(out, H), 0, 'f', 2));
    }
}

}  // namespace attnscope::ui
