#include "train/adamw.h"

#include <cmath>

namespace attnscope::core::train {

void AdamW::step(std::vector<float>& p, const std::vector<float>& g, const std::vector<bool>& decay, float lr, float wd) {
    ++m_t;
    const float c1 = 1.0f - std::pow(m_beta1, float(m_t)), c2 = 1.0f - std::pow(m_beta2, float(m_t));
    for (size_t i = 0; i < p.size(); ++i) {
        m_m[i] = m_beta1 * m_m[i] + (1 - m_beta1) * g[i];
        m_v[i] = m_beta2 * m_v[i] + (1 - m_beta2) * g[i] * g[i];
        const float update = (m_m[i] / c1) / (std::sqrt(m_v[i] / c2) + m_eps);
        p[i] -= lr * (update + (decay[i] ? wd * p[i] : 0.0f));
    }
}

float clipGradient(std::vector<float>& g, float maxNorm) {
    double sq = 0;
    for (float v : g) sq += double(v) * v;
    const float norm = float(std::sqrt(sq));
    if (norm > maxNorm && norm > 0)
        for (float& v : g) v *= maxNorm / norm;
    return norm;
}

}  // namespace attnscope::core::train
