#include "model/gpt2_model.h"

#include <cstring>

namespace attnscope::core {

Result<std::shared_ptr<Model>> Gpt2Model::load(const ModelConfig& config, std::shared_ptr<Checkpoint> ckpt) {
    std::shared_ptr<Gpt2Model> model(new Gpt2Model(config, std::move(ckpt)));
    if (Status s = model->loadWeights(); !s) return s.error();
    return std::shared_ptr<Model>(model);
}

Status Gpt2Model::loadWeights() {
    const ModelConfig& c = m_config;
    const int H = c.hidden, I = c.intermediate;
    const auto prefix = detectPrefix(*m_checkpoint, {QString(), QStringLiteral("transformer.")},
                                     QStringLiteral("wte.weight"));
    if (!prefix)
        return inputError(QStringLiteral("missing tensor 'wte.weight' (expected shape [%1, %2]); is this a "
                                         "gpt2 checkpoint?")
                              .arg(c.vocabSize)
                              .arg(H));
    WeightLoader w(m_checkpoint, *prefix);
    m_wte = w.matrix(QStringLiteral("wte.weight"), c.vocabSize, H);
    m_wpe = w.tensor(QStringLiteral("wpe.weight"), {c.maxPositions, H});
    countParameters((uint64_t(c.vocabSize) + uint64_t(c.maxPositions) + 2) * uint64_t(H));
    for (int i = 0; i < c.layers; ++i) {
        const QString p = QStringLiteral("h.%1.").arg(i);
        Block b;
        b.ln1 = w.layerNorm(p + QStringLiteral("ln_1"), H);
        const QString cAttn = p + QStringLiteral("attn.c_attn");
        b.attn.q = w.conv1d(cAttn, H, 3 * H, 0, H);
        b.attn.k = w.conv1d(cAttn, H, 3 * H, H, H);
        b.attn.v = w.conv1d(cAttn, H, 3 * H, 2 * H, H);
        b.attn.out = w.conv1d(p + QStringLiteral("attn.c_proj"), H, H, 0, H);
        b.ln2 = w.layerNorm(p + QStringLiteral("ln_2"), H);
        b.fc = w.conv1d(p + QStringLiteral("mlp.c_fc"), H, I, 0, I);
        b.proj = w.conv1d(p + QStringLiteral("mlp.c_proj"), I, H, 0, H);
        if (!w.ok()) break;  // stop at the first missing tensor
        w.packAttention(b.attn, p);
        w.pack(b.fc, p + QStringLiteral("mlp.c_fc"));
        w.pack(b.proj, p + QStringLiteral("mlp.c_proj"));
        m_blocks.push_back(b);
        countParameters(layerParameters(H, I));
    }
    m_lnF = w.layerNorm(QStringLiteral("ln_f"), H);
    WeightLoader top(m_checkpoint, QString());
    m_lmHead = top.has(QStringLiteral("lm_head.weight")) ? top.matrix(QStringLiteral("lm_head.weight"), c.vocabSize, H)
                                                         : m_wte;
    if (!w.ok()) return w.error();
    if (!top.ok()) return top.error();
    return {};
}

Result<ForwardOutput> Gpt2Model::forward(const std::vector<int>& ids, const std::vector<int>& typeIds,
                                         TraceSink* sink, const std::atomic<bool>* cancel) const {
    if (Status s = checkInput(ids, typeIds); !s) return s.error();
    const ModelConfig& c = m_config;
    const int n = int(ids.size()), H = c.hidden;
    const ForwardShape shape{n, c.layers, c.heads, c.headDim(), H, true};
    if (sink) sink->begin(shape);

    std::vector<float> x(size_t(n) * size_t(H));               // (n, H) residual stream
    for (int i = 0; i < n; ++i) {
        float* row = x.data() + size_t(i) * size_t(H);
        kernels::weightRow(m_wte, ids[size_t(i)], row);
        kernels::addInPlace(row, m_wpe + size_t(i) * size_t(H), H);
    }
    if (sink) sink->hiddenState(0, x.data());

    PreLnBlock block(shape, c, sink);
    for (int l = 0; l < c.layers; ++l) {
        if (cancel && cancel->load()) return inputError(QStringLiteral("cancelled"));
        block.run(l, m_blocks[size_t(l)], x.data());
        if (sink && l + 1 < c.layers) sink->hiddenState(l + 1, x.data());
    }
    kernels::layerNorm(x.data(), n, H, m_lnF.gamma, m_lnF.beta, c.layerNormEps, x.data());
    if (sink) sink->hiddenState(c.layers, x.data());  // as Hugging Face: the last one is after ln_f
    return ForwardOutput{n, H, std::move(x)};
}

std::vector<float> Gpt2Model::lmLogits(const ForwardOutput& out, int position) const {
    return lensLogits(out.finalHidden.data() + size_t(position) * size_t(m_config.hidden), 1, m_config.layers);
}

std::vector<float> Gpt2Model::lensLogits(const float* hidden, int rows, int index) const {
    const int H = m_config.hidden, V = m_config.vocabSize;
    std::vector<float> normed;  // (rows, H): the residual stream through ln_f (index L already is)
    if (index < m_config.layers) {
        normed.resize(size_t(rows) * size_t(H));
        kernels::layerNorm(hidden, rows, H, m_lnF.gamma, m_lnF.beta, m_config.layerNormEps, normed.data());
        hidden = normed.data();
    }
    std::vector<float> logits(size_t(rows) * size_t(V));  // (rows, V) = h . wte^T (V, H)
    kernels::linear(m_lmHead, hidden, rows, logits.data());
    return logits;
}

}  // namespace attnscope::core
