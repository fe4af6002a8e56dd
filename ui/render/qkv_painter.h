#pragma once

#include "trace/attention_trace.h"

#include <QColor>
#include <QFont>
#include <QPainter>
#include <QRectF>
#include <QStringList>

#include <vector>

namespace attnscope::ui {

// The steps of one head's attention for one query token, in the order they are computed. Rotate
// (RoPE: q and k turned by their positions) belongs to the rotary decoders only.
enum class QkvStep { Input, Query, Keys, Rotate, Dot, Scale, Mask, Softmax, Weighted, Context, Output };
constexpr int kQkvMaxSteps = 11;
// The steps a model takes, in order: 10, or 11 with Rotate.
std::vector<QkvStep> qkvSteps(bool rotary);
// "4 · rotate q and k by position": numbered by the step's place among the model's steps.
QString qkvStepName(QkvStep step, bool causal, bool rotary = false);

// What the Q/K/V trace shows: query token `query` of head `head` in `layer`, revealed up to `step`.
struct QkvSpec {
    const core::AttentionTrace* trace = nullptr;
    QStringList labels;
    int layer = 0;
    int head = 0;
    int query = 0;
    QkvStep step = QkvStep::Output;
    QFont font;
    QColor textColor = Qt::black;
};

// Column and row geometry of the unfolding table (one row per key token).
struct QkvLayout {
    QRectF header;       // x_i and q_i strips
    QRectF footer;       // context and output strips
    double top = 0;      // first key row
    double rowHeight = 0;
    QRectF columns[7];   // label, k_j, q.k, /sqrt(d), mask, softmax, p v_j
};

QkvLayout qkvLayout(const QRectF& rect, const QkvSpec& spec);
void paintQkv(QPainter& painter, const QRectF& rect, const QkvSpec& spec);

}  // namespace attnscope::ui
