#include "train/data_parallel.h"

#include <algorithm>
#include <thread>

namespace attnscope::core::train {

double dataParallelGradient(int workers, size_t count, const std::function<double(size_t, std::vector<float>&)>& example,
                            std::vector<std::vector<float>>& grads) {
    workers = std::max(1, std::min(workers, int(grads.size())));
    std::vector<double> losses(size_t(workers), 0.0);
    auto work = [&](int w) {
        std::vector<float>& grad = grads[size_t(w)];
        std::fill(grad.begin(), grad.end(), 0.0f);
        for (size_t i = size_t(w); i < count; i += size_t(workers)) losses[size_t(w)] += example(i, grad);
    };
    std::vector<std::thread> pool;
    for (int w = 1; w < workers; ++w) pool.emplace_back(work, w);
    work(0);
    for (std::thread& t : pool) t.join();
    for (int w = 1; w < workers; ++w)
        for (size_t i = 0; i < grads[0].size(); ++i) grads[0][i] += grads[size_t(w)][i];
    double loss = 0;
    for (double l : losses) loss += l;
    return loss;
}

float warmupThenDecay(int step, float peak, int warmup, int steps) {
    if (step < warmup) return peak * float(step + 1) / float(warmup);
    const float rest = float(step - warmup) / float(std::max(1, steps - warmup));
    return peak * std::max(0.1f, 1.0f - 0.9f * rest);
}

std::vector<bool> weightDecayMask(const ParamSet& params) {
    std::vector<bool> decay(params.size(), false);
    for (const ParamSet::Entry& e : params.entries()) {
        const bool on = e.name.endsWith(QLatin1String(".weight")) && !e.name.contains(QLatin1String("LayerNorm")) &&
                        !e.name.contains(QLatin1String("layernorm"));
        std::fill_n(decay.begin() + ptrdiff_t(e.offset), e.size, on);
    }
    return decay;
}

}  // namespace attnscope::core::train
