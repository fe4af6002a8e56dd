#pragma once

#include <cmath>

namespace attnscope::core {

// Shapes of one forward pass; n = tokens, H = hidden size, h = (query) heads, d = head size,
// g = key/value heads (grouped-query attention: query head j reads key/value head j / (h / g)).
// Encoders and GPT-2 have g = h and h d = H; the rotary decoders may have neither.
struct ForwardShape {
    int tokens = 0;
    int layers = 0;
    int heads = 0;
    int headDim = 0;
    int hidden = 0;
    bool causal = false;
    int kvHeads = 0;  // 0: as many as heads
    float scoreScale = 0;  // scaled score = raw q.k * scoreScale; 0: 1 / sqrt(d) (Gemma 3 differs)
    bool multiplies = false;  // scores = raw * scale() (the rotary decoders), else raw / sqrt(d)

    int keyValueHeads() const { return kvHeads > 0 ? kvHeads : heads; }
    int qWidth() const { return heads * headDim; }             // q and context: (n, h d)
    int kvWidth() const { return keyValueHeads() * headDim; }  // k and v: (n, g d)
    float scale() const { return scoreScale > 0 ? scoreScale : 1.0f / std::sqrt(float(headDim)); }
};

// What one attention layer computed. Pointers are valid only during the callback.
// Head j of q, k, v and context is columns [j d, (j + 1) d) of the (n, H) matrix.
struct LayerTensors {
    int layer = 0;
    const float* attnInput = nullptr;  // (n, H)    what the projections read (after ln_1 for pre-LN)
    const float* q = nullptr;          // (n, h d)  x W_q + b_q (decoders: after RoPE)
    const float* k = nullptr;          // (n, g d)
    const float* v = nullptr;          // (n, g d)
    const float* scores = nullptr;     // (h, n, n) raw / sqrt(d), -inf where masked; null if not kept
    const float* probs = nullptr;      // (h, n, n) softmax over each row; null when the sink keeps no blocks (raw q.k is never kept)
    const float* context = nullptr;    // (n, h d)  sum_j p_ij v_j, heads side by side
    const float* attnOutput = nullptr; // (n, H)    context W_o + b_o (before the residual)
    const float* output = nullptr;     // (n, H)    hidden state leaving the layer
    int window = 0;                    // sliding window of this layer's mask (0: none)
    const float* ropeCos = nullptr;    // (n, d/2) the rotation q and k went through (rotary models)
    const float* ropeSin = nullptr;    // (n, d/2)
    const float* valueNorms = nullptr; // (h, n) ||f_h(x_j)|| = ||v_j|_h W_O|_h|| when the sink wants them
};

// The parts of a layer a recording sink can hold in its own memory, so nothing is copied:
// AttnInput and AttnOutput where the model computes them apart from the residual stream (pre-LN
// and rotary models: the normalised input, the output projection); a sink given other pointers in
// LayerTensors copies them.
enum class TraceBuffer { Q, K, V, Scores, Probs, Context, AttnInput, AttnOutput };
inline constexpr int kTraceBuffers = 8;

// Receives what a forward pass computes (like llama.cpp's eval callback). Every method is optional.
class TraceSink {
public:
    virtual ~TraceSink() = default;
    virtual void begin(const ForwardShape& /*shape*/) {}
    // Storage for a layer's buffer ((n, h d), (n, g d), (n, H) or (h, n, n) floats) or null for scratch.
    virtual float* buffer(int /*layer*/, TraceBuffer /*which*/) { return nullptr; }
    // hidden (n, H): index 0 = embeddings, i = after layer i (GPT-2: index L is after ln_f).
    virtual void hiddenState(int /*index*/, const float* /*hidden*/) {}
    virtual void layer(const LayerTensors& /*tensors*/) {}
    // Whether scaled+masked scores are wanted (else the model skips writing them).
    virtual bool wantsScores() const { return true; }
    // When buffer() gives no Probs block, the model computes a head at a time in scratch and shows
    // each head's raw scores and probs (n, n) here, from the thread that computed it (heads run in
    // parallel; each call writes only its own head's results). Valid during the call.
    virtual void headProbs(int /*layer*/, int /*head*/, const float* /*raw*/, const float* /*probs*/) {}
    // Whether the model should compute each head's value-vector norms through the output projection
    // (LayerTensors::valueNorms; Kobayashi et al. 2020). Costs one more (n, H) x (H, H) product a layer.
    virtual bool wantsValueNorms() const { return false; }
    // Ablation: whether a head is switched off, its context zeroed before the output projection
    // (everything downstream sees the change; its attention weights are still computed and shown).
    virtual bool ablated(int /*layer*/, int /*head*/) const { return false; }
};

}  // namespace attnscope::core
