#pragma once

#include "train/param_set.h"

#include <functional>
#include <vector>

namespace attnscope::core::train {

// Sums the gradients of `count` examples over `workers` threads (example i on worker i % workers):
// example(i, grad) adds example i's gradient into grad and returns its loss. grads holds one buffer
// per worker of the parameters' size; the total ends in grads[0]. Returns the summed loss.
double dataParallelGradient(int workers, size_t count, const std::function<double(size_t, std::vector<float>&)>& example,
                            std::vector<std::vector<float>>& grads);

// Linear warm-up to `peak` over `warmup` steps, then linear decay to 10% of it at `steps`.
float warmupThenDecay(int step, float peak, int warmup, int steps);

// Which parameters get weight decay: the .weight tensors that are not LayerNorm (one flag per value).
std::vector<bool> weightDecayMask(const ParamSet& params);

}  // namespace attnscope::core::train
