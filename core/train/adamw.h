#pragma once

#include <cstddef>
#include <vector>

namespace attnscope::core::train {

// AdamW (decoupled weight decay, Loshchilov & Hutter) over a flat parameter vector.
class AdamW {
public:
    explicit AdamW(size_t size, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f)
        : m_m(size, 0.0f), m_v(size, 0.0f), m_beta1(beta1), m_beta2(beta2), m_eps(eps) {}

    // decay[i]: whether parameter i gets weight decay (weights yes; biases, LayerNorm no).
    void step(std::vector<float>& params, const std::vector<float>& grad, const std::vector<bool>& decay, float lr,
              float weightDecay);

private:
    std::vector<float> m_m, m_v;
    float m_beta1, m_beta2, m_eps;
    int m_t = 0;
};

// Scales grad so its global L2 norm is at most maxNorm; returns the norm before clipping.
float clipGradient(std::vector<float>& grad, float maxNorm);

}  // namespace attnscope::core::train
