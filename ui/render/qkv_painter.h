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
    QColor background = Qt::white;  // zero in the red/blue strips is this colour
    int firstKey = 0;      // with allKeys false: the first key row of the page shown
    bool allKeys = true;   // every key row however thin (export); false: legible rows, a page at a time
};

// The rows above and below the keys: the query token's vectors.
enum class QkvVector { Input, Query, Rotated, Context, Output };
constexpr int kQkvVectorRows = 5;
// The key table's columns.
enum class QkvColumn { Label, Key, Dot, Scaled, Mask, Softmax, Value, Weighted };
constexpr int kQkvColumns = 8;

// Where everything goes; nothing overlaps at any size (rows are paged instead of squeezed below
// legible text unless allKeys, columns give up their numbers before their bars).
struct QkvLayout {
    double line = 0;                    // height of a text row
    QRectF title;                       // "Layer 2 · Head 0 · query token #10 “it”"
    QRectF vectorLabel[kQkvVectorRows]; // empty when the row is absent (Rotated for most models)
    QRectF vectorStrip[kQkvVectorRows];
    QRectF vectorNorm[kQkvVectorRows];
    double titlesTop = 0;               // the column titles' row
    double top = 0;                     // first key row shown
    double rowHeight = 0;
    int firstKey = 0, keyCount = 0;     // the key rows shown
    bool words = true;                  // numbers and labels in the key rows
    bool columnWords[kQkvColumns] = {true, true, true, true, true, true, true, true};  // room for numbers
    QRectF columns[kQkvColumns];        // spanning the rows shown
    QRectF pageNote;                    // "keys 1–18 of 436 · scroll for more" when paged
    QRectF legend;                      // the colour scale of the strips
};

QkvLayout qkvLayout(const QRectF& rect, const QkvSpec& spec);
void paintQkv(QPainter& painter, const QRectF& rect, const QkvSpec& spec);
// What is under `point`: "k_j[5] of “animal” = -0.412", "softmax p_j for “road” = 0.8%", ...;
// empty over nothing. For the view's hover.
QString qkvValueAt(const QRectF& rect, const QkvSpec& spec, const QPointF& point);
// Red for negative, blue for positive, fading into `background` at zero (t in [-1, 1]).
QColor divergingColor(float t, const QColor& background);

}  // namespace attnscope::ui
