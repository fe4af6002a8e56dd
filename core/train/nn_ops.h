#pragma once

// Forward and backward building blocks of AttnScope's trainers (BERT and ViT), templated on the
// scalar type: float for training, double for gradient checks. Matrices are row-major (rows = tokens).

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include <cmath>
#include <vector>

namespace attnscope::core::train::nn {


template <typename S> using MatT = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename S> using VecT = Eigen::Matrix<S, Eigen::Dynamic, 1>;
template <typename S> using RowT = Eigen::Matrix<S, 1, Eigen::Dynamic>;
template <typename S> using MapM = Eigen::Map<MatT<S>>;
template <typename S> using CMapM = Eigen::Map<const MatT<S>>;
template <typename S> using CMapV = Eigen::Map<const RowT<S>>;
template <typename S> using MapV = Eigen::Map<RowT<S>>;

constexpr double kInvSqrt2 = 0.70710678118654752;
constexpr double kInvSqrt2Pi = 0.3989422804014327;

// LayerNorm over rows: y = xhat * g + b; keeps xhat (n, d) and 1/std (n) for the backward pass.
template <typename S>
void layerNorm(const MatT<S>& x, const S* g, const S* b, S eps, MatT<S>& xhat, VecT<S>& rstd, MatT<S>& y) {
    const int n = int(x.rows()), d = int(x.cols());
    xhat.resize(n, d);
    rstd.resize(n);
    y.resize(n, d);
    for (int i = 0; i < n; ++i) {
        const S mean = x.row(i).mean();
        const S var = (x.row(i).array() - mean).square().mean();
        rstd(i) = S(1) / std::sqrt(var + eps);
        xhat.row(i) = (x.row(i).array() - mean) * rstd(i);
        y.row(i) = xhat.row(i).array() * CMapV<S>(g, d).array() + CMapV<S>(b, d).array();
    }
}

// dx from dy through LayerNorm; accumulates dg, db.
template <typename S>
MatT<S> layerNormBackward(const MatT<S>& dy, const MatT<S>& xhat, const VecT<S>& rstd, const S* g, S* dg, S* db) {
    const int n = int(dy.rows()), d = int(dy.cols());
    MatT<S> dx(n, d);
    MapV<S>(dg, d) += (dy.array() * xhat.array()).colwise().sum().matrix();
    MapV<S>(db, d) += dy.colwise().sum();
    for (int i = 0; i < n; ++i) {
        const RowT<S> dxhat = dy.row(i).array() * CMapV<S>(g, d).array();
        const S m1 = dxhat.mean();
        const S m2 = (dxhat.array() * xhat.row(i).array()).mean();
        dx.row(i) = rstd(i) * (dxhat.array() - m1 - xhat.row(i).array() * m2);
    }
    return dx;
}

template <typename S>
MatT<S> gelu(const MatT<S>& x) { return (S(0.5) * x.array() * (S(1) + (x.array() * S(kInvSqrt2)).erf())).matrix(); }

template <typename S>
MatT<S> geluGrad(const MatT<S>& x) {
    return (S(0.5) * (S(1) + (x.array() * S(kInvSqrt2)).erf()) +
            x.array() * S(kInvSqrt2Pi) * (S(-0.5) * x.array().square()).exp())
        .matrix();
}

// y = x W^T + b with W (out, in).
template <typename S>
MatT<S> linear(const MatT<S>& x, const S* w, const S* b, int out) {
    const int in = int(x.cols());
    MatT<S> y = x * CMapM<S>(w, out, in).transpose();
    y.rowwise() += CMapV<S>(b, out);
    return y;
}

// Backward of linear: returns dx; accumulates dW (out, in) and db (out).
template <typename S>
MatT<S> linearBackward(const MatT<S>& dy, const MatT<S>& x, const S* w, S* dw, S* db) {
    const int out = int(dy.cols()), in = int(x.cols());
    MapM<S>(dw, out, in).noalias() += dy.transpose() * x;
    MapV<S>(db, out) += dy.colwise().sum();
    return dy * CMapM<S>(w, out, in);
}


// Multi-head self-attention on projected q, k, v (n, heads * d): probs[h] (n, n) = softmax(q_h k_h^T / sqrt(d)),
// ctx (n, heads * d) = probs[h] v_h per head.
template <typename S>
void attention(const MatT<S>& q, const MatT<S>& k, const MatT<S>& v, int heads, std::vector<MatT<S>>& probs, MatT<S>& ctx) {
    const int n = int(q.rows()), d = int(q.cols()) / heads;
    const S invSqrtD = S(1) / std::sqrt(S(d));
    ctx.resize(n, q.cols());
    probs.resize(size_t(heads));
    for (int h = 0; h < heads; ++h) {
        MatT<S> s = q.middleCols(h * d, d) * k.middleCols(h * d, d).transpose() * invSqrtD;  // (n, n)
        for (int i = 0; i < n; ++i) {
            const S mx = s.row(i).maxCoeff();
            s.row(i) = (s.row(i).array() - mx).exp();
            s.row(i) /= s.row(i).sum();
        }
        ctx.middleCols(h * d, d).noalias() = s * v.middleCols(h * d, d);
        probs[size_t(h)] = std::move(s);
    }
}

// A head asked to attend from one query to one key: loss weight * -log probs[head](query, key).
template <typename S>
struct AttentionTarget {
    int head = -1, query = 0, key = 0;
    S weight = 0;
};

// Backward of attention(): dq, dk, dv (n, heads * d) from dctx (and from an attention target).
template <typename S>
void attentionBackward(const MatT<S>& dctx, const std::vector<MatT<S>>& probs, const MatT<S>& q, const MatT<S>& k, const MatT<S>& v,
                       MatT<S>& dq, MatT<S>& dk, MatT<S>& dv, const AttentionTarget<S>& target = {}) {
    const int n = int(q.rows()), heads = int(probs.size()), d = int(q.cols()) / heads;
    const S invSqrtD = S(1) / std::sqrt(S(d));
    dq.resize(n, q.cols());
    dk.resize(n, q.cols());
    dv.resize(n, q.cols());
    for (int h = 0; h < heads; ++h) {
        const MatT<S>& p = probs[size_t(h)];
        const MatT<S> dC = dctx.middleCols(h * d, d);
        dv.middleCols(h * d, d).noalias() = p.transpose() * dC;
        const MatT<S> dP = dC * v.middleCols(h * d, d).transpose();
        MatT<S> dS = (p.array() * (dP.array().colwise() - (dP.array() * p.array()).rowwise().sum())).matrix();
        if (h == target.head) {  // d(-log p[key])/d(scores row) = p - onehot(key)
            dS.row(target.query) += target.weight * p.row(target.query);
            dS(target.query, target.key) -= target.weight;
        }
        dS *= invSqrtD;
        dq.middleCols(h * d, d).noalias() = dS * k.middleCols(h * d, d);
        dk.middleCols(h * d, d).noalias() = dS.transpose() * q.middleCols(h * d, d);
    }
}

// Softmax cross-entropy of one row of logits against `target`; writes (p - onehot) * scale to dlogits.
template <typename S>
double crossEntropy(const RowT<S>& logits, int target, S scale, RowT<S>& dlogits) {
    const S mx = logits.maxCoeff();
    RowT<S> p = (logits.array() - mx).exp();
    p /= p.sum();
    const double loss = -std::log(std::max(double(p(target)), 1e-30));
    p(target) -= S(1);
    dlogits = p * scale;
    return loss;
}

}  // namespace attnscope::core::train::nn
