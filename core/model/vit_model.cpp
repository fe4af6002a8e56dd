#include "model/vit_model.h"

#include <cstring>

namespace attnscope::core {

Result<std::shared_ptr<Model>> VitModel::load(const ModelConfig& config, std::shared_ptr<Checkpoint> ckpt) {
    std::shared_ptr<VitModel> model(new VitModel(config, std::move(ckpt)));
    if (Status s = model->loadWeights(); !s) return s.error();
    return std::shared_ptr<Model>(model);
}

Status VitModel::loadWeights() {
    const ModelConfig& c = m_config;
    const int H = c.hidden, I = c.intermediate, p = c.patchSize, P = c.patchesPerSide() * c.patchesPerSide();
    const QString probe = QStringLiteral("embeddings.cls_token");
    const auto prefix = detectPrefix(*m_checkpoint, {QStringLiteral("vit."), QString()}, probe);
    if (!prefix)
        return inputError(QStringLiteral("missing tensor 'vit.%1' (expected shape [1, 1, %2]); is this a vit checkpoint?").arg(probe).arg(H));
    WeightLoader w(m_checkpoint, *prefix);
    m_cls = w.tensor(probe, {1, 1, H});
    m_pos = w.tensor(QStringLiteral("embeddings.position_embeddings"), {1, P + 1, H});
    m_patch.w = w.tensor(QStringLiteral("embeddings.patch_embeddings.projection.weight"), {H, c.channels, p, p});
    m_patch.b = w.tensor(QStringLiteral("embeddings.patch_embeddings.projection.bias"), {H});
    m_patch.in = c.channels * p * p;
    m_patch.out = H;
    m_patch.ldw = m_patch.in;
    countParameters(uint64_t(H) * (uint64_t(P + 2) + uint64_t(m_patch.in) + 1));
    w.pack(m_patch, QStringLiteral("embeddings.patch_embeddings.projection"));
    for (int i = 0; i < c.layers; ++i) {
        const QString b = QStringLiteral("encoder.layer.%1.").arg(i);
        Block blk;
        blk.ln1 = w.layerNorm(b + QStringLiteral("layernorm_before"), H);
        blk.attn.q = w.linear(b + QStringLiteral("attention.attention.query"), H, H);
        blk.attn.k = w.linear(b + QStringLiteral("attention.attention.key"), H, H);
        blk.attn.v = w.linear(b + QStringLiteral("attention.attention.value"), H, H);
        blk.attn.out = w.linear(b + QStringLiteral("attention.output.dense"), H, H);
        blk.ln2 = w.layerNorm(b + QStringLiteral("layernorm_after"), H);
        blk.fc = w.linear(b + QStringLiteral("intermediate.dense"), I, H);
        blk.proj = w.linear(b + QStringLiteral("output.dense"), H, I);
        if (!w.ok()) break;  // stop at the first missing tensor
        w.packAttention(blk.attn, b);
        w.pack(blk.fc, b + QStringLiteral("intermediate.dense"));
        w.pack(blk.proj, b + QStringLiteral("output.dense"));
        m_blocks.push_back(blk);
        countParameters(layerParameters(H, I));
    }
    m_final = w.layerNorm(QStringLiteral("layernorm"), H);
    if (!w.ok()) return w.error();
    WeightLoader top(m_checkpoint, QString());
    if (top.has(QStringLiteral("classifier.weight")) && !c.labels.isEmpty()) {
        m_classifier = top.linear(QStringLiteral("classifier"), int(c.labels.size()), H);
        if (!top.ok()) return top.error();
    }
    return {};
}

Result<ForwardOutput> VitModel::forward(const std::vector<int>&, const std::vector<int>&, TraceSink*, const std::atomic<bool>*) const {
    return inputError(QStringLiteral("%1 is an image model; give it an image, not text").arg(m_config.name));
}

Result<ForwardOutput> VitModel::forwardImage(const ImageTensor& img, TraceSink* sink, const std::atomic<bool>* cancel) const {
    const ModelConfig& c = m_config;
    const int S = c.imageSize, p = c.patchSize, g = c.patchesPerSide(), P = g * g, H = c.hidden, n = P + 1;
    if (img.channels != c.channels || img.height != S || img.width != S || img.data.size() != size_t(3) * S * S)
        return inputError(QStringLiteral("the model takes %1 x %1 images with 3 channels, got %2 x %3 x %4")
                              .arg(S).arg(img.width).arg(img.height).arg(img.channels));
    const ForwardShape shape{n, c.layers, c.heads, c.headDim(), H, false};
    if (sink) sink->begin(shape);

    // Patches (P, 3 p p) in the convolution weight's (c, ky, kx) order, row-major over the grid.
    std::vector<float> patches(size_t(P) * size_t(m_patch.in));
    for (int py = 0; py < g; ++py)
        for (int px = 0; px < g; ++px) {
            float* v = patches.data() + size_t(py * g + px) * size_t(m_patch.in);
            for (int ch = 0; ch < 3; ++ch)
                for (int ky = 0; ky < p; ++ky)
                    for (int kx = 0; kx < p; ++kx) *v++ = img.at(ch, py * p + ky, px * p + kx);
        }
    std::vector<float> x(size_t(n) * size_t(H));  // (n, H): [CLS] then the patch embeddings, plus positions
    std::memcpy(x.data(), m_cls, sizeof(float) * size_t(H));
    kernels::linear(m_patch, patches.data(), P, x.data() + H);
    kernels::addInPlace(x.data(), m_pos, int64_t(x.size()));
    if (sink) sink->hiddenState(0, x.data());

    PreLnBlock block(shape, c, sink);
    for (int l = 0; l < c.layers; ++l) {
        if (cancel && cancel->load()) return inputError(QStringLiteral("cancelled"));
        block.run(l, m_blocks[size_t(l)], x.data());
        if (sink) sink->hiddenState(l + 1, x.data());  // as Hugging Face: before the final LayerNorm
    }
    kernels::layerNorm(x.data(), n, H, m_final.gamma, m_final.beta, c.layerNormEps, x.data());
    return ForwardOutput{n, H, std::move(x)};
}

std::vector<float> VitModel::classLogits(const ForwardOutput& out) const {
    if (!hasClassifier()) return {};
    std::vector<float> logits(static_cast<size_t>(m_classifier.out));
    kernels::linear(m_classifier, out.finalHidden.data(), 1, logits.data());  // [CLS] is row 0
    return logits;
}

}  // namespace attnscope::core
