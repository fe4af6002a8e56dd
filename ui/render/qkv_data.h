#pragma once

// What the Q/K/V painter and its hit test share: the numbers behind the figure and the names of
// its rows and columns (internal to ui/render/qkv_*.cpp).
#include "render/qkv_painter.h"

#include <QString>

#include <algorithm>
#include <vector>

namespace attnscope::ui::qkv {

// The numbers behind the figure for one query token of one head.
struct QkvData {
    const core::AttentionTrace& t;
    int n, d, hidden, i, kvStride;
    bool rotary, turned, causal;
    const float* q;       // (d), after RoPE when rotary
    std::vector<float> qBefore;  // (d), rotary: before the rotation
    const float* k;       // row j at + j kvStride, (d)
    const float* v;       // row j at + j kvStride, (d)
    core::HeadMatrices head;  // keeps raw and probs alive (a rebuilt head or raw scores live in the cache)
    const float* raw;     // (n) q · k_j
    const float* probs;   // (n) softmax
    float sqrtD;

    QkvData(const QkvSpec& s)
        : t(*s.trace), n(t.tokens()), d(t.headDim()), hidden(t.hidden()), i(std::clamp(s.query, 0, n - 1)), kvStride(t.shape().kvWidth()),
          rotary(t.rotary()), turned(rotary && int(s.step) >= int(QkvStep::Rotate)), causal(t.shape().causal),
          q(t.qRow(s.layer, s.head, i)), k(t.kRow(s.layer, s.head, 0)), v(t.vRow(s.layer, s.head, 0)),
          head(t.head(s.layer, s.head)), raw(head.rawRow(i)), probs(head.probsRow(i)), sqrtD(1.0f / t.shape().scale()) {
        if (rotary) qBefore = t.unrotated(s.layer, q, i);
    }
    // A vector row's values and their count.
    std::pair<const float*, int> vector(QkvVector row, const QkvSpec& s) const {
        switch (row) {
            case QkvVector::Input: return {t.attnInput(s.layer) + int64_t(i) * hidden, hidden};
            case QkvVector::Query: return {rotary ? qBefore.data() : q, d};
            case QkvVector::Rotated: return {q, d};
            case QkvVector::Context: return {t.contextRow(s.layer, s.head, i), d};
            case QkvVector::Output: return {t.attnOutput(s.layer) + int64_t(i) * hidden, hidden};
        }
        return {nullptr, 0};
    }
    // Key j as shown: turned by its position once the rotation step is revealed.
    std::vector<float> key(int j, int layer) const {
        const float* kj = k + int64_t(j) * kvStride;
        if (rotary && !turned) return t.unrotated(layer, kj, j);
        return std::vector<float>(kj, kj + d);
    }
};

QkvStep vectorStep(QkvVector row);
QString vectorName(QkvVector row, const QkvSpec& s);  // "2 · query q = x W_q + b_q"
const char* vectorSymbol(QkvVector row);               // "q"
QkvStep columnStep(QkvColumn c, bool turned);          // the step that reveals the column
QString columnTitle(QkvColumn c, const QkvData& data);
double maxAbs(const float* v, int count);

}  // namespace attnscope::ui::qkv
