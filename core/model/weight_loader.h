#pragma once

#include "io/checkpoint.h"
#include "kernels/kernels.h"

#include <QString>

#include <memory>
#include <vector>

namespace attnscope::core {

struct NormWeights {
    const float* gamma = nullptr;  // (d)
    const float* beta = nullptr;   // (d)
};

// Fetches a model's weights by name under a prefix ("bert.", "transformer.", ...) and keeps the
// first error, so a model's loading code reads as a flat list of tensors.
class WeightLoader {
public:
    WeightLoader(std::shared_ptr<Checkpoint> checkpoint, QString prefix)
        : m_ckpt(std::move(checkpoint)), m_prefix(std::move(prefix)) {}

    bool has(const QString& name) const { return m_ckpt->has(m_prefix + name); }
    const float* tensor(const QString& name, const Shape& shape);
    // A (rows, cols) matrix as stored (F32, BF16 or F16, in place), as a Linear with out = rows and
    // in = cols and no bias: embedding tables (kernels::weightRow) and LM heads.
    kernels::Linear matrix(const QString& name, int rows, int cols);
    // nn.Linear: base.weight (out, in) as stored, base.bias (out).
    kernels::Linear linear(const QString& base, int out, int in, bool withBias = true);
    // GPT-2 Conv1D: base.weight (in, out) as stored, base.bias (out); columns [first, first + count) only.
    kernels::Linear conv1d(const QString& base, int in, int out, int first, int count);
    // Packs the layer for the micro-kernels (kernels/packed_linear.h) when the kernel path packs and
    // the memory budget allows, then gives back its stored pages; otherwise leaves it as stored.
    void pack(kernels::Linear& layer, const QString& name);
    // Layers reading the same input (Q, K, V) packed side by side as one product, or null (as pack()).
    std::shared_ptr<const kernels::PackedLinear> packTogether(const std::vector<const kernels::Linear*>& layers, const QString& name);
    // An attention's Q, K and V packed as one product (its qkv) and its output projection.
    template <class Attention>
    void packAttention(Attention& a, const QString& base) {
        a.qkv = packTogether({&a.q, &a.k, &a.v}, base + QStringLiteral("qkv"));
        pack(a.out, base + QStringLiteral("out"));
    }
    // LayerNorm: base.weight/bias, or the older base.gamma/beta.
    NormWeights layerNorm(const QString& base, int d);

    bool ok() const { return m_error.message.isEmpty(); }
    const Error& error() const { return m_error; }
    const QString& prefix() const { return m_prefix; }

private:
    // Points layer at the stored tensor (w or w16 and type), offset by `first` elements.
    void stored(const QString& name, const Shape& shape, int64_t first, kernels::Linear* layer);

    std::shared_ptr<Checkpoint> m_ckpt;
    QString m_prefix;
    Error m_error;
};

// The first of the prefixes under which `probe` exists, or null when none does.
std::optional<QString> detectPrefix(const Checkpoint& checkpoint, const QStringList& prefixes,
                                    const QString& probe);

}  // namespace attnscope::core
