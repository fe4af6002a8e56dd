#pragma once

#include "trace/attention_trace.h"

#include <cstdint>
#include <vector>

namespace attnscope::core {

enum class HeadFusion { Mean, Max, Min };

// Attention rollout (Abnar & Zuidema 2020): per layer, heads fused (mean, max or min), the lowest
// `discard` fraction of the fused weights set to zero (never the [CLS] column), A' = (A + I) / 2 with
// rows renormalised, and R = A'_L ... A'_1. Returns R (n, n).
// lastLayer >= 0 stops after that layer (R = A'_lastLayer ... A'_0: how far the tokens have mixed
// by then); -1 runs through every layer.
std::vector<float> attentionRollout(const AttentionTrace& trace, HeadFusion fusion, float discard, int lastLayer = -1);

// One layer's heads fused (n, n): their mean, or the elementwise max or min.
std::vector<float> fusedHeads(const AttentionTrace& trace, int layer, HeadFusion fusion);

// R's [CLS] row over the patches (P = n - 1), scaled so its maximum is 1.
std::vector<float> clsRolloutMap(const AttentionTrace& trace, HeadFusion fusion, float discard);

// DINO-style mask for one head: the patches that hold the top `keep` fraction of the [CLS] row's
// mass over the patches (1 = kept), (P).
std::vector<uint8_t> dinoMask(const AttentionTrace& trace, int layer, int head, float keep);

}  // namespace attnscope::core
