#pragma once

// One attention row's softmax in a single fused pass over AVX-512 registers (the attention heads
// call it for every row of every head: with Eigen's separate passes it took 3% of a ViT-B/16
// forward).
namespace attnscope::core::kernels {

// Whether this build has the fused row (compiled for AVX-512, as the default -march=native build
// on an AVX-512 machine); else the callers keep Eigen's passes.
bool fusedSoftmaxRow();

// probs (count) = softmax of raw / factor (divide) or raw * factor; scores (count), unless null, the
// scaled raw. The exps are Eigen's pexp<Packet16f> operation for operation (the values Eigen's
// passes give); the sum is taken in another order (the last bits of a probability may differ).
void softmaxRow(const float* raw, int count, float factor, bool divide, float* scores, float* probs);

}  // namespace attnscope::core::kernels
