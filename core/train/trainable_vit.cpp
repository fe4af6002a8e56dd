#include "train/trainable_vit.h"

#include "train/nn_ops.h"

namespace attnscope::core::train {

using namespace nn;

template <typename S>
struct TrainableVit::Forward {
    struct Layer {
        MatT<S> in, a, q, k, v, ctx, mid, b, f1, g;  // (n, H) except f1, g (n, I)
        MatT<S> xhat1, xhat2;
        VecT<S> rstd1, rstd2;
        std::vector<MatT<S>> probs;  // per head (n, n)
    };
    MatT<S> patches;  // (P, 3 p p)
    std::vector<Layer> layers;
    MatT<S> out;  // (n, H) before the final LayerNorm
    MatT<S> clsHat, cls;  // (1, H) the final LayerNorm of [CLS]
    VecT<S> clsRstd;
    RowT<S> logits;  // (classes)
};

TrainableVit::TrainableVit(const TrainableVitConfig& c) : m_c(c) {
    using I = ParamSet::Init;
    const int H = c.hidden, In = c.intermediate, p = c.patchSize;
    m_cls = m_params.add(QStringLiteral("vit.embeddings.cls_token"), {1, 1, H}, I::Normal002);
    m_pos = m_params.add(QStringLiteral("vit.embeddings.position_embeddings"), {1, c.tokens(), H}, I::Normal002);
    m_patchW = m_params.add(QStringLiteral("vit.embeddings.patch_embeddings.projection.weight"), {H, 3, p, p}, I::Normal002);
    m_patchB = m_params.add(QStringLiteral("vit.embeddings.patch_embeddings.projection.bias"), {H}, I::Zeros);
    for (int l = 0; l < c.layers; ++l) {
        const QString pre = QStringLiteral("vit.encoder.layer.%1.").arg(l);
        LayerIds L;
        auto lin = [&](const QString& name, int out, int in, int* w, int* b) {
            *w = m_params.add(pre + name + QStringLiteral(".weight"), {out, in}, I::Normal002);
            *b = m_params.add(pre + name + QStringLiteral(".bias"), {out}, I::Zeros);
        };
        auto norm = [&](const QString& name, int* g, int* b) {
            *g = m_params.add(pre + name + QStringLiteral(".weight"), {H}, I::Ones);
            *b = m_params.add(pre + name + QStringLiteral(".bias"), {H}, I::Zeros);
        };
        norm(QStringLiteral("layernorm_before"), &L.ln1g, &L.ln1b);
        lin(QStringLiteral("attention.attention.query"), H, H, &L.q, &L.qb);
        lin(QStringLiteral("attention.attention.key"), H, H, &L.k, &L.kb);
        lin(QStringLiteral("attention.attention.value"), H, H, &L.v, &L.vb);
        lin(QStringLiteral("attention.output.dense"), H, H, &L.o, &L.ob);
        norm(QStringLiteral("layernorm_after"), &L.ln2g, &L.ln2b);
        lin(QStringLiteral("intermediate.dense"), In, H, &L.w1, &L.b1);
        lin(QStringLiteral("output.dense"), H, In, &L.w2, &L.b2);
        m_layers.push_back(L);
    }
    m_finalG = m_params.add(QStringLiteral("vit.layernorm.weight"), {H}, I::Ones);
    m_finalB = m_params.add(QStringLiteral("vit.layernorm.bias"), {H}, I::Zeros);
    m_classW = m_params.add(QStringLiteral("classifier.weight"), {c.classes, H}, I::Normal002);
    m_classB = m_params.add(QStringLiteral("classifier.bias"), {c.classes}, I::Zeros);
}

std::vector<float> TrainableVit::patches(const ImageTensor& img) const {
    const int g = m_c.patchesPerSide(), p = m_c.patchSize;
    std::vector<float> out;
    out.reserve(size_t(g * g) * size_t(m_c.patchValues()));
    for (int py = 0; py < g; ++py)
        for (int px = 0; px < g; ++px)
            for (int ch = 0; ch < 3; ++ch)
                for (int ky = 0; ky < p; ++ky)
                    for (int kx = 0; kx < p; ++kx) out.push_back(img.at(ch, py * p + ky, px * p + kx));
    return out;
}

template <typename S>
void TrainableVit::forward(const S* values, const S* patches, Forward<S>& f) const {
    const int H = m_c.hidden, n = m_c.tokens(), P = n - 1, heads = m_c.heads;
    auto data = [&](int index) { return values + m_params.entry(index).offset; };
    f.patches = CMapM<S>(patches, P, m_c.patchValues());
    MatT<S> x(n, H);  // [CLS]; patches W^T + b; plus positions
    x.row(0) = CMapV<S>(data(m_cls), H);
    x.bottomRows(P) = linear<S>(f.patches, data(m_patchW), data(m_patchB), H);
    x += CMapM<S>(data(m_pos), n, H);
    f.layers.resize(m_layers.size());
    for (size_t l = 0; l < m_layers.size(); ++l) {
        const LayerIds& L = m_layers[l];
        typename Forward<S>::Layer& F = f.layers[l];
        F.in = x;
        layerNorm<S>(x, data(L.ln1g), data(L.ln1b), S(m_c.eps), F.xhat1, F.rstd1, F.a);
        F.q = linear<S>(F.a, data(L.q), data(L.qb), H);
        F.k = linear<S>(F.a, data(L.k), data(L.kb), H);
        F.v = linear<S>(F.a, data(L.v), data(L.vb), H);
        attention<S>(F.q, F.k, F.v, heads, F.probs, F.ctx);
        F.mid = x + linear<S>(F.ctx, data(L.o), data(L.ob), H);
        layerNorm<S>(F.mid, data(L.ln2g), data(L.ln2b), S(m_c.eps), F.xhat2, F.rstd2, F.b);
        F.f1 = linear<S>(F.b, data(L.w1), data(L.b1), m_c.intermediate);
        F.g = gelu<S>(F.f1);
        x = F.mid + linear<S>(F.g, data(L.w2), data(L.b2), H);
    }
    f.out = x;
    layerNorm<S>(MatT<S>(x.topRows(1)), data(m_finalG), data(m_finalB), S(m_c.eps), f.clsHat, f.clsRstd, f.cls);
    f.logits = linear<S>(f.cls, data(m_classW), data(m_classB), m_c.classes);
}

std::vector<float> TrainableVit::logits(const std::vector<float>& patches) const {
    Forward<float> f;
    forward<float>(m_params.values().data(), patches.data(), f);
    return std::vector<float>(f.logits.data(), f.logits.data() + f.logits.size());
}

double TrainableVit::lossAndGradient(const std::vector<float>& patches, int label, float scale, std::vector<float>* grad) const {
    return lossImpl<float>(m_params.values().data(), patches.data(), label, scale, grad ? grad->data() : nullptr);
}

double TrainableVit::lossAndGradientDouble(const std::vector<double>& values, const std::vector<double>& patches, int label,
                                           std::vector<double>* grad) const {
    return lossImpl<double>(values.data(), patches.data(), label, 1.0, grad ? grad->data() : nullptr);
}

template <typename S>
double TrainableVit::lossImpl(const S* values, const S* patches, int label, S scale, S* G) const {
    const int H = m_c.hidden, n = m_c.tokens(), P = n - 1;
    auto data = [&](int index) { return values + m_params.entry(index).offset; };
    Forward<S> f;
    forward<S>(values, patches, f);
    RowT<S> dlogits;  // (classes)
    const double loss = crossEntropy<S>(f.logits, label, scale, dlogits);
    if (!G) return loss;

    auto g = [&](int index) { return G + m_params.entry(index).offset; };
    const MatT<S> dcls = linearBackward<S>(MatT<S>(dlogits), f.cls, data(m_classW), g(m_classW), g(m_classB));  // (1, H)
    MatT<S> dx = MatT<S>::Zero(n, H);
    dx.row(0) = layerNormBackward<S>(dcls, f.clsHat, f.clsRstd, data(m_finalG), g(m_finalG), g(m_finalB));
    for (int l = int(m_layers.size()) - 1; l >= 0; --l) {
        const LayerIds& L = m_layers[size_t(l)];
        const typename Forward<S>::Layer& F = f.layers[size_t(l)];
        // x = mid + W2 gelu(W1 LN2(mid)): dx flows to mid directly and through the MLP.
        const MatT<S> dg = linearBackward<S>(dx, F.g, data(L.w2), g(L.w2), g(L.b2));
        const MatT<S> df1 = (dg.array() * geluGrad<S>(F.f1).array()).matrix();
        const MatT<S> db = linearBackward<S>(df1, F.b, data(L.w1), g(L.w1), g(L.b1));
        const MatT<S> dmid = dx + layerNormBackward<S>(db, F.xhat2, F.rstd2, data(L.ln2g), g(L.ln2g), g(L.ln2b));
        // mid = in + Wo attention(LN1(in)).
        const MatT<S> dctx = linearBackward<S>(dmid, F.ctx, data(L.o), g(L.o), g(L.ob));
        MatT<S> dq, dk, dv;
        attentionBackward<S>(dctx, F.probs, F.q, F.k, F.v, dq, dk, dv);
        MatT<S> da = linearBackward<S>(dq, F.a, data(L.q), g(L.q), g(L.qb));
        da += linearBackward<S>(dk, F.a, data(L.k), g(L.k), g(L.kb));
        da += linearBackward<S>(dv, F.a, data(L.v), g(L.v), g(L.vb));
        dx = dmid + layerNormBackward<S>(da, F.xhat1, F.rstd1, data(L.ln1g), g(L.ln1g), g(L.ln1b));
    }
    MapM<S>(g(m_pos), n, H) += dx;
    MapV<S>(g(m_cls), H) += dx.row(0);
    linearBackward<S>(MatT<S>(dx.bottomRows(P)), f.patches, data(m_patchW), g(m_patchW), g(m_patchB));
    return loss;
}

template double TrainableVit::lossImpl<float>(const float*, const float*, int, float, float*) const;
template double TrainableVit::lossImpl<double>(const double*, const double*, int, double, double*) const;

}  // namespace attnscope::core::train
