#include "train/trainable_bert.h"

#include "train/nn_ops.h"

#include <cmath>

namespace attnscope::core::train {
using namespace nn;

template <typename S>
struct TrainableBert::Forward {
    struct Layer {
        MatT<S> in, q, k, v, ctx, xhat1, e1, f1, g, xhat2, out;
        std::vector<MatT<S>> probs;  // per head (n, n)
        VecT<S> rstd1, rstd2;
    };
    MatT<S> xhat0;
    VecT<S> rstd0;
    std::vector<Layer> layers;
    MatT<S> out;  // (n, H) last layer output
};

TrainableBert::TrainableBert(const TrainableBertConfig& c) : m_c(c) {
    using I = ParamSet::Init;
    const int H = c.hidden, In = c.intermediate;
    m_word = m_params.add(QStringLiteral("bert.embeddings.word_embeddings.weight"), {c.vocab, H}, I::Normal002);
    m_pos = m_params.add(QStringLiteral("bert.embeddings.position_embeddings.weight"), {c.maxPositions, H}, I::Normal002);
    m_type = m_params.add(QStringLiteral("bert.embeddings.token_type_embeddings.weight"), {2, H}, I::Normal002);
    m_embG = m_params.add(QStringLiteral("bert.embeddings.LayerNorm.weight"), {H}, I::Ones);
    m_embB = m_params.add(QStringLiteral("bert.embeddings.LayerNorm.bias"), {H}, I::Zeros);
    for (int l = 0; l < c.layers; ++l) {
        const QString p = QStringLiteral("bert.encoder.layer.%1.").arg(l);
        LayerIds L;
        auto lin = [&](const QString& name, int out, int in, int* w, int* b) {
            *w = m_params.add(p + name + QStringLiteral(".weight"), {out, in}, I::Normal002);
            *b = m_params.add(p + name + QStringLiteral(".bias"), {out}, I::Zeros);
        };
        lin(QStringLiteral("attention.self.query"), H, H, &L.q, &L.qb);
        lin(QStringLiteral("attention.self.key"), H, H, &L.k, &L.kb);
        lin(QStringLiteral("attention.self.value"), H, H, &L.v, &L.vb);
        lin(QStringLiteral("attention.output.dense"), H, H, &L.o, &L.ob);
        L.ln1g = m_params.add(p + QStringLiteral("attention.output.LayerNorm.weight"), {H}, I::Ones);
        L.ln1b = m_params.add(p + QStringLiteral("attention.output.LayerNorm.bias"), {H}, I::Zeros);
        lin(QStringLiteral("intermediate.dense"), In, H, &L.w1, &L.b1);
        lin(QStringLiteral("output.dense"), H, In, &L.w2, &L.b2);
        L.ln2g = m_params.add(p + QStringLiteral("output.LayerNorm.weight"), {H}, I::Ones);
        L.ln2b = m_params.add(p + QStringLiteral("output.LayerNorm.bias"), {H}, I::Zeros);
        m_layers.push_back(L);
    }
    m_headW = m_params.add(QStringLiteral("cls.predictions.transform.dense.weight"), {H, H}, I::Normal002);
    m_headB = m_params.add(QStringLiteral("cls.predictions.transform.dense.bias"), {H}, I::Zeros);
    m_headG = m_params.add(QStringLiteral("cls.predictions.transform.LayerNorm.weight"), {H}, I::Ones);
    m_headBeta = m_params.add(QStringLiteral("cls.predictions.transform.LayerNorm.bias"), {H}, I::Zeros);
    m_decBias = m_params.add(QStringLiteral("cls.predictions.bias"), {c.vocab}, I::Zeros);
}

template <typename S>
void TrainableBert::forward(const S* values, const std::vector<int>& ids, Forward<S>& f) const {
    const int n = int(ids.size()), H = m_c.hidden, heads = m_c.heads;
    const Params<S> P{values, m_params};
    MatT<S> x0(n, H);  // word + position + type 0
    for (int i = 0; i < n; ++i)
        x0.row(i) = CMapV<S>(P.data(m_word) + size_t(ids[size_t(i)]) * H, H) + CMapV<S>(P.data(m_pos) + size_t(i) * H, H) +
                    CMapV<S>(P.data(m_type), H);
    MatT<S> e;
    layerNorm<S>(x0, P.data(m_embG), P.data(m_embB), S(m_c.eps), f.xhat0, f.rstd0, e);
    f.layers.resize(m_layers.size());
    for (size_t l = 0; l < m_layers.size(); ++l) {
        const LayerIds& L = m_layers[l];
        typename Forward<S>::Layer& F = f.layers[l];
        F.in = e;
        F.q = linear<S>(e, P.data(L.q), P.data(L.qb), H);
        F.k = linear<S>(e, P.data(L.k), P.data(L.kb), H);
        F.v = linear<S>(e, P.data(L.v), P.data(L.vb), H);
        attention<S>(F.q, F.k, F.v, heads, F.probs, F.ctx);
        const MatT<S> r1 = e + linear<S>(F.ctx, P.data(L.o), P.data(L.ob), H);
        layerNorm<S>(r1, P.data(L.ln1g), P.data(L.ln1b), S(m_c.eps), F.xhat1, F.rstd1, F.e1);
        F.f1 = linear<S>(F.e1, P.data(L.w1), P.data(L.b1), m_c.intermediate);
        F.g = gelu<S>(F.f1);
        const MatT<S> r2 = F.e1 + linear<S>(F.g, P.data(L.w2), P.data(L.b2), H);
        layerNorm<S>(r2, P.data(L.ln2g), P.data(L.ln2b), S(m_c.eps), F.xhat2, F.rstd2, F.out);
        e = F.out;
    }
    f.out = e;
}

std::vector<std::vector<float>> TrainableBert::logitsAt(const std::vector<int>& ids, const std::vector<int>& positions) const {
    Forward<float> f;
    forward<float>(m_params.values().data(), ids, f);
    const int H = m_c.hidden, V = m_c.vocab;
    const ParamSet& P = m_params;
    std::vector<std::vector<float>> out;
    for (int pos : positions) {
        MatT<float> row = f.out.row(pos);
        MatT<float> xhat, y;
        VecT<float> rstd;
        layerNorm<float>(gelu<float>(linear<float>(row, P.data(m_headW), P.data(m_headB), H)), P.data(m_headG), P.data(m_headBeta),
                         m_c.eps, xhat, rstd, y);
        RowT<float> logits = y * CMapM<float>(P.data(m_word), V, H).transpose() + CMapV<float>(P.data(m_decBias), V);
        out.emplace_back(logits.data(), logits.data() + V);
    }
    return out;
}

double TrainableBert::lossAndGradient(const Example& ex, float scale, std::vector<float>* grad) const {
    return lossImpl<float>(m_params.values().data(), ex, scale, grad ? grad->data() : nullptr);
}

double TrainableBert::lossAndGradientDouble(const std::vector<double>& values, const Example& ex, std::vector<double>* grad) const {
    return lossImpl<double>(values.data(), ex, 1.0, grad ? grad->data() : nullptr);
}

template <typename S>
double TrainableBert::lossImpl(const S* values, const Example& ex, S scale, S* G) const {
    const int n = int(ex.ids.size()), H = m_c.hidden, V = m_c.vocab;
    const Params<S> P{values, m_params};
    Forward<S> f;
    forward<S>(values, ex.ids, f);
    const int m = int(ex.targets.size());
    if (m == 0) return 0;
    const bool attend = ex.attendLayer >= 0 && ex.attendLayer < m_c.layers && ex.attendWeight > 0;
    double attendLoss = 0;
    if (attend) {
        const S p = f.layers[size_t(ex.attendLayer)].probs[size_t(ex.attendHead)](ex.attendQuery, ex.attendKey);
        attendLoss = -double(ex.attendWeight) * std::log(std::max(double(p), 1e-30));
    }

    // Head on the target rows: t = gelu(e W_t^T + b); u = LN(t); logits = u E^T + bias.
    MatT<S> eT(m, H);
    for (int r = 0; r < m; ++r) eT.row(r) = f.out.row(ex.targets[size_t(r)].first);
    const MatT<S> t1 = linear<S>(eT, P.data(m_headW), P.data(m_headB), H);
    const MatT<S> t2 = gelu<S>(t1);
    MatT<S> uhat, u;
    VecT<S> urstd;
    layerNorm<S>(t2, P.data(m_headG), P.data(m_headBeta), S(m_c.eps), uhat, urstd, u);
    MatT<S> logits = u * CMapM<S>(P.data(m_word), V, H).transpose();
    logits.rowwise() += CMapV<S>(P.data(m_decBias), V);
    double loss = 0;
    MatT<S> dlogits(m, V);
    for (int r = 0; r < m; ++r) {
        RowT<S> dl;
        loss += crossEntropy<S>(logits.row(r), ex.targets[size_t(r)].second, scale, dl);
        dlogits.row(r) = dl;
    }
    if (!G) return loss + attendLoss;

    auto g = [&](int index) { return G + m_params.entry(index).offset; };
    // logits = u E^T + bias
    MapV<S>(g(m_decBias), V) += dlogits.colwise().sum();
    MapM<S>(g(m_word), V, H).noalias() += dlogits.transpose() * u;
    const MatT<S> du = dlogits * CMapM<S>(P.data(m_word), V, H);
    const MatT<S> dt2 = layerNormBackward<S>(du, uhat, urstd, P.data(m_headG), g(m_headG), g(m_headBeta));
    const MatT<S> dt1 = (dt2.array() * geluGrad<S>(t1).array()).matrix();
    const MatT<S> deT = linearBackward<S>(dt1, eT, P.data(m_headW), g(m_headW), g(m_headB));
    MatT<S> dE = MatT<S>::Zero(n, H);
    for (int r = 0; r < m; ++r) dE.row(ex.targets[size_t(r)].first) += deT.row(r);

    for (int l = int(m_layers.size()) - 1; l >= 0; --l) {
        const LayerIds& L = m_layers[size_t(l)];
        const typename Forward<S>::Layer& F = f.layers[size_t(l)];
        const MatT<S> dr2 = layerNormBackward<S>(dE, F.xhat2, F.rstd2, P.data(L.ln2g), g(L.ln2g), g(L.ln2b));
        const MatT<S> dg = linearBackward<S>(dr2, F.g, P.data(L.w2), g(L.w2), g(L.b2));
        const MatT<S> df1 = (dg.array() * geluGrad<S>(F.f1).array()).matrix();
        const MatT<S> de1 = dr2 + linearBackward<S>(df1, F.e1, P.data(L.w1), g(L.w1), g(L.b1));
        const MatT<S> dr1 = layerNormBackward<S>(de1, F.xhat1, F.rstd1, P.data(L.ln1g), g(L.ln1g), g(L.ln1b));
        const MatT<S> dctx = linearBackward<S>(dr1, F.ctx, P.data(L.o), g(L.o), g(L.ob));
        MatT<S> dq, dk, dv;
        AttentionTarget<S> target;
        if (attend && l == ex.attendLayer) target = {ex.attendHead, ex.attendQuery, ex.attendKey, S(ex.attendWeight) * scale};
        attentionBackward<S>(dctx, F.probs, F.q, F.k, F.v, dq, dk, dv, target);
        dE = dr1;
        dE += linearBackward<S>(dq, F.in, P.data(L.q), g(L.q), g(L.qb));
        dE += linearBackward<S>(dk, F.in, P.data(L.k), g(L.k), g(L.kb));
        dE += linearBackward<S>(dv, F.in, P.data(L.v), g(L.v), g(L.vb));
    }
    const MatT<S> dx0 = layerNormBackward<S>(dE, f.xhat0, f.rstd0, P.data(m_embG), g(m_embG), g(m_embB));
    for (int i = 0; i < n; ++i) {
        MapV<S>(g(m_word) + size_t(ex.ids[size_t(i)]) * H, H) += dx0.row(i);
        MapV<S>(g(m_pos) + size_t(i) * H, H) += dx0.row(i);
        MapV<S>(g(m_type), H) += dx0.row(i);
    }
    return loss + attendLoss;
}

template double TrainableBert::lossImpl<float>(const float*, const Example&, float, float*) const;
template double TrainableBert::lossImpl<double>(const double*, const Example&, double, double*) const;

}  // namespace attnscope::core::train
