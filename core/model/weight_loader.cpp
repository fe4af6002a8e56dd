#include "model/weight_loader.h"

#include "kernels/packed_gemm.h"

namespace attnscope::core {

const float* WeightLoader::tensor(const QString& name, const Shape& shape) {
    if (!ok()) return nullptr;
    auto w = m_ckpt->get(m_prefix + name, shape);
    if (!w) {
        m_error = w.error();
        return nullptr;
    }
    return w->data;
}

void WeightLoader::stored(const QString& name, const Shape& shape, int64_t first, kernels::Linear* layer) {
    if (!ok()) return;
    auto w = m_ckpt->getStored(m_prefix + name, shape);
    if (!w) {
        m_error = w.error();
        return;
    }
    if (w->dtype == DType::F32) {
        layer->type = kernels::WeightType::F32;
        layer->w = static_cast<const float*>(w->data) + first;
    } else {
        layer->type = w->dtype == DType::BF16 ? kernels::WeightType::BF16 : kernels::WeightType::F16;
        layer->w16 = static_cast<const uint16_t*>(w->data) + first;
    }
}

kernels::Linear WeightLoader::matrix(const QString& name, int rows, int cols) {
    kernels::Linear l;
    l.in = cols;
    l.out = rows;
    l.ldw = cols;
    stored(name, {rows, cols}, 0, &l);
    return l;
}

kernels::Linear WeightLoader::linear(const QString& base, int out, int in, bool withBias) {
    kernels::Linear l = matrix(base + QStringLiteral(".weight"), out, in);
    if (withBias) l.b = tensor(base + QStringLiteral(".bias"), {out});
    return l;
}

kernels::Linear WeightLoader::conv1d(const QString& base, int in, int out, int first, int count) {
    kernels::Linear l;
    l.in = in;
    l.out = count;
    l.ldw = out;
    l.inByOut = true;
    stored(base + QStringLiteral(".weight"), {in, out}, first, &l);
    const float* b = tensor(base + QStringLiteral(".bias"), {out});
    if (b) l.b = b + first;
    return l;
}

void WeightLoader::pack(kernels::Linear& layer, const QString& name) {
    if (auto packed = packTogether({&layer}, name)) layer.packed = std::move(packed);
}

std::shared_ptr<const kernels::PackedLinear> WeightLoader::packTogether(const std::vector<const kernels::Linear*>& layers, const QString& name) {
    if (!ok() || !kernels::packingEnabled() || layers.empty()) return nullptr;
    for (const kernels::Linear* l : layers)
        if (!l->hasWeights() || l->packed || l->in != layers.front()->in || l->type != layers.front()->type) return nullptr;
    if (!m_ckpt->reservePacked(m_prefix + name, kernels::packedBytes(layers))) return nullptr;  // over the budget: BLAS
    auto packed = kernels::PackedLinear::pack(layers);
    for (const kernels::Linear* l : layers) {
        // The stored matrix: (in, ldw) for Conv1D, (out, ldw) for nn.Linear, from the layer's first element.
        const uint64_t elements = uint64_t(l->inByOut ? l->in - 1 : l->out - 1) * uint64_t(l->ldw) + uint64_t(l->inByOut ? l->out : l->in);
        const size_t size = l->type == kernels::WeightType::F32 ? sizeof(float) : sizeof(uint16_t);
        m_ckpt->releaseStored(l->w ? static_cast<const void*>(l->w) : static_cast<const void*>(l->w16), elements * size);
    }
    return packed;
}

NormWeights WeightLoader::layerNorm(const QString& base, int d) {
    const bool old = !has(base + QStringLiteral(".weight")) && has(base + QStringLiteral(".gamma"));
    NormWeights n;
    n.gamma = tensor(base + (old ? QStringLiteral(".gamma") : QStringLiteral(".weight")), {d});
    n.beta = tensor(base + (old ? QStringLiteral(".beta") : QStringLiteral(".bias")), {d});
    return n;
}

std::optional<QString> detectPrefix(const Checkpoint& checkpoint, const QStringList& prefixes,
                                    const QString& probe) {
    for (const QString& p : prefixes)
        if (checkpoint.has(p + probe)) return p;
    return std::nullopt;
}

}  // namespace attnscope::core
