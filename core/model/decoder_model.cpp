#include "model/decoder_model.h"

#include "kernels/packed_gemm.h"

#include <cmath>
#include <cstring>

namespace attnscope::core {
namespace {

// transformers' inverse frequencies, in float32 as it computes them.
std::vector<float> inverseFrequencies(const RopeConfig& rope, int d) {
    std::vector<float> inv(size_t(d / 2));
    for (int k = 0; k < d / 2; ++k) {
        const float exponent = float(2 * k) / float(d);
        inv[size_t(k)] = 1.0f / std::pow(float(rope.theta), exponent);
    }
    if (rope.scaling == RopeConfig::Scaling::Linear) {
        for (float& f : inv) f = float(f / rope.factor);
    } else if (rope.scaling == RopeConfig::Scaling::Llama3) {
        const double old = rope.originalMaxPositions, low = rope.lowFreqFactor, high = rope.highFreqFactor;
        const double lowWavelen = old / low, highWavelen = old / high;
        for (float& f : inv) {
            const double wavelen = 2 * M_PI / double(f);
            if (wavelen > lowWavelen) {
                f = float(f / rope.factor);
            } else if (wavelen >= highWavelen) {  // between: interpolate
                const double s = (old / wavelen - low) / (high - low);
                f = float((1 - s) * f / rope.factor + s * f);
            }
        }
    }
    return inv;
}

}  // namespace

Result<std::shared_ptr<Model>> DecoderModel::load(const ModelConfig& config, std::shared_ptr<Checkpoint> ckpt) {
    std::shared_ptr<DecoderModel> model(new DecoderModel(config, std::move(ckpt)));
    if (Status s = model->loadWeights(); !s) return s.error();
    return std::shared_ptr<Model>(model);
}

Status DecoderModel::loadWeights() {
    const ModelConfig& c = m_config;
    const DecoderConfig& dc = c.decoder;
    const int H = c.hidden, I = c.intermediate, d = c.headDim(), qw = c.heads * d, kvw = c.kvHeads() * d;
    const QString probe = QStringLiteral("embed_tokens.weight");
    const auto prefix = detectPrefix(*m_checkpoint, {QStringLiteral("model."), QString()}, probe);
    if (!prefix)
        return inputError(QStringLiteral("missing tensor 'model.%1' (expected shape [%2, %3]); is this a %4 checkpoint?")
                              .arg(probe).arg(c.vocabSize).arg(H).arg(c.modelType));
    WeightLoader w(m_checkpoint, *prefix);
    m_embed = w.matrix(probe, c.vocabSize, H);
    countParameters(uint64_t(c.vocabSize) * uint64_t(H));
    for (int i = 0; i < c.layers && w.ok(); ++i) {
        const QString p = QStringLiteral("layers.%1.").arg(i);
        Layer l;
        l.attn.q = w.linear(p + QStringLiteral("self_attn.q_proj"), qw, H, dc.qkvBias);
        l.attn.k = w.linear(p + QStringLiteral("self_attn.k_proj"), kvw, H, dc.qkvBias);
        l.attn.v = w.linear(p + QStringLiteral("self_attn.v_proj"), kvw, H, dc.qkvBias);
        l.attn.out = w.linear(p + QStringLiteral("self_attn.o_proj"), H, qw, dc.outputBias);
        if (dc.qkNorm) {
            l.attn.qNorm = w.tensor(p + QStringLiteral("self_attn.q_norm.weight"), {d});
            l.attn.kNorm = w.tensor(p + QStringLiteral("self_attn.k_norm.weight"), {d});
        }
        l.inputNorm = w.tensor(p + QStringLiteral("input_layernorm.weight"), {H});
        l.postAttentionNorm = w.tensor(p + QStringLiteral("post_attention_layernorm.weight"), {H});
        if (dc.gemma) {
            l.preFeedforwardNorm = w.tensor(p + QStringLiteral("pre_feedforward_layernorm.weight"), {H});
            l.postFeedforwardNorm = w.tensor(p + QStringLiteral("post_feedforward_layernorm.weight"), {H});
        }
        l.gate = w.linear(p + QStringLiteral("mlp.gate_proj"), I, H, false);
        l.up = w.linear(p + QStringLiteral("mlp.up_proj"), I, H, false);
        l.down = w.linear(p + QStringLiteral("mlp.down_proj"), H, I, false);
        l.local = size_t(i) < dc.localLayers.size() && dc.localLayers[size_t(i)];
        if (!w.ok()) break;  // stop at the first missing tensor
        w.packAttention(l.attn, p);
        l.gateUp = w.packTogether({&l.gate, &l.up}, p + QStringLiteral("mlp.gate_up"));
        w.pack(l.down, p + QStringLiteral("mlp.down_proj"));
        m_layers.push_back(l);
        countParameters(uint64_t(H) * uint64_t(2 * qw + 2 * kvw) + 3 * uint64_t(H) * uint64_t(I) + uint64_t(H) * (dc.gemma ? 4 : 2) +
                        (dc.qkNorm ? 2 * uint64_t(d) : 0));
    }
    if (w.ok()) m_finalNorm = w.tensor(QStringLiteral("norm.weight"), {H});
    if (!w.ok()) return w.error();
    WeightLoader top(m_checkpoint, QString());
    if (!dc.tiedEmbeddings) {  // tied: transformers ties lm_head to the embeddings, a stored copy unused
        m_lmHead = top.matrix(QStringLiteral("lm_head.weight"), c.vocabSize, H);
        if (!top.ok()) return top.error();
        countParameters(uint64_t(c.vocabSize) * uint64_t(H));
    } else {
        m_lmHead = m_embed;
    }
    return {};
}

RopeTable DecoderModel::ropeTable(int n, bool local) const {
    const int d = m_config.headDim();
    const std::vector<float> inv = inverseFrequencies(local ? m_config.decoder.localRope : m_config.decoder.rope, d);
    RopeTable t;
    t.half = d / 2;
    t.cos.resize(size_t(n) * size_t(t.half));
    t.sin.resize(t.cos.size());
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < t.half; ++k) {
            const float angle = float(i) * inv[size_t(k)];
            t.cos[size_t(i) * size_t(t.half) + size_t(k)] = std::cos(angle);
            t.sin[size_t(i) * size_t(t.half) + size_t(k)] = std::sin(angle);
        }
    return t;
}

Result<ForwardOutput> DecoderModel::forward(const std::vector<int>& ids, const std::vector<int>& typeIds, TraceSink* sink,
                                            const std::atomic<bool>* cancel) const {
    if (Status s = checkInput(ids, typeIds); !s) return s.error();
    const ModelConfig& c = m_config;
    const DecoderConfig& dc = c.decoder;
    const int n = int(ids.size()), H = c.hidden, I = c.intermediate;
    ForwardShape shape{n, c.layers, c.heads, c.headDim(), H, true};
    shape.kvHeads = c.kvHeads();
    shape.scoreScale = dc.queryScale;
    shape.multiplies = true;
    if (sink) sink->begin(shape);

    std::vector<float> x(size_t(n) * size_t(H));        // (n, H) residual stream
    std::vector<float> a(x.size());                      // (n, H) a normalised copy for the MLP
    const int64_t ldGate = kernels::inputStride(I);  // the down projection reads gate as it is
    std::vector<float> gate(size_t(n) * size_t(ldGate)), up(gate.size());  // (n, ldGate) their first I columns
    std::vector<float> mlp(x.size());                    // (n, H)
    const float embedScale = dc.gemma ? float(std::sqrt(double(H))) : 1.0f;
    for (int i = 0; i < n; ++i) {
        float* row = x.data() + size_t(i) * size_t(H);
        kernels::weightRow(m_embed, ids[size_t(i)], row);
        if (dc.gemma)
            for (int j = 0; j < H; ++j) row[j] *= embedScale;
    }
    if (sink) sink->hiddenState(0, x.data());

    const RopeTable global = ropeTable(n, false);
    const RopeTable local = dc.gemma ? ropeTable(n, true) : RopeTable();
    RotaryAttention attention(shape, sink);
    const float eps = dc.rmsNormEps;
    for (int l = 0; l < c.layers; ++l) {
        if (cancel && cancel->load()) return inputError(QStringLiteral("cancelled"));
        const Layer& L = m_layers[size_t(l)];
        float* attnIn = attention.inputBuffer(l);  // (n, H) the attention's normalised input, in the trace when recording
        kernels::rmsNorm(x.data(), n, H, L.inputNorm, eps, dc.gemma, attnIn);
        LayerTensors t;
        RotaryAttention::Options o;
        o.scale = dc.queryScale;
        o.window = L.local ? dc.slidingWindow : 0;
        o.normEps = eps;
        o.onePlusNormWeight = dc.gemma;
        // Gemma normalises the attention's output before the residual; the others add it as it is stored
        attention.run(l, L.attn, o, dc.gemma && L.local ? local : global, attnIn, &t, dc.gemma ? nullptr : x.data());
        if (dc.gemma) {  // x += post_attention_norm(attn); x += post_ff_norm(mlp(pre_ff_norm(x)))
            kernels::rmsNorm(t.attnOutput, n, H, L.postAttentionNorm, eps, true, mlp.data());
            kernels::addInPlace(x.data(), mlp.data(), int64_t(x.size()));
            kernels::rmsNorm(x.data(), n, H, L.preFeedforwardNorm, eps, true, a.data());
        } else {  // x += attn (above); x += mlp(post_attention_norm(x))
            kernels::rmsNorm(x.data(), n, H, L.postAttentionNorm, eps, false, a.data());
        }
        float* const gateUp[] = {gate.data(), up.data()};
        kernels::linearFused({&L.gate, &L.up}, L.gateUp.get(), a.data(), n, gateUp, ldGate);
        kernels::gatedActivate(c.activation, gate.data(), up.data(), int64_t(gate.size()));  // the padding stays 0
        if (dc.gemma) {
            kernels::linearResidual(L.down, gate.data(), ldGate, n, mlp.data(), nullptr);
            kernels::rmsNorm(mlp.data(), n, H, L.postFeedforwardNorm, eps, true, mlp.data());
            kernels::addInPlace(x.data(), mlp.data(), int64_t(x.size()));
        } else {
            kernels::linearResidual(L.down, gate.data(), ldGate, n, mlp.data(), x.data());
        }
        t.output = x.data();
        if (sink) {
            sink->layer(t);
            if (l + 1 < c.layers) sink->hiddenState(l + 1, x.data());
        }
    }
    kernels::rmsNorm(x.data(), n, H, m_finalNorm, eps, dc.gemma, x.data());
    if (sink) sink->hiddenState(c.layers, x.data());  // as transformers: the last one is after the final norm
    return ForwardOutput{n, H, std::move(x)};
}

std::vector<float> DecoderModel::lmLogits(const ForwardOutput& out, int position) const {
    return lensLogits(out.finalHidden.data() + size_t(position) * size_t(m_config.hidden), 1, m_config.layers);
}

std::vector<float> DecoderModel::lensLogits(const float* hidden, int rows, int index) const {
    const int H = m_config.hidden, V = m_config.vocabSize;
    const DecoderConfig& dc = m_config.decoder;
    std::vector<float> normed;  // (rows, H): the residual stream through the final norm (index L already is)
    if (index < m_config.layers) {
        normed.resize(size_t(rows) * size_t(H));
        kernels::rmsNorm(hidden, rows, H, m_finalNorm, dc.rmsNormEps, dc.gemma, normed.data());
        hidden = normed.data();
    }
    std::vector<float> logits(size_t(rows) * size_t(V));  // (rows, V) = h . head^T (V, H)
    kernels::linear(m_lmHead, hidden, rows, logits.data());
    if (const float cap = dc.finalLogitSoftcap; cap > 0)
        for (float& v : logits) v = std::tanh(v / cap) * cap;
    return logits;
}

}  // namespace attnscope::core
