#include "analysis/qk_projection.h"

#include "kernels/kernels.h"
#include "kernels/parallel_for.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <random>

namespace attnscope::core {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::vector<float> queryKeyPoints(const AttentionTrace& t, int layer, int head) {
    const int n = t.tokens(), d = t.headDim();
    RowMatrix q(n, d), k(n, d);  // (n, d) each
    for (int i = 0; i < n; ++i)
        for (int c = 0; c < d; ++c) {
            q(i, c) = t.qRow(layer, head, i)[c];
            k(i, c) = t.kRow(layer, head, i)[c];
        }
    const double qLen = q.rowwise().norm().mean(), kLen = k.rowwise().norm().mean();
    const double c = qLen > 0 && kLen > 0 ? std::sqrt(kLen / qLen) : 1.0;
    q *= c;
    k /= c;
    k.rowwise() += q.colwise().mean() - k.colwise().mean();
    std::vector<float> out(size_t(2) * size_t(n) * size_t(d));  // (2n, d)
    for (int i = 0; i < n; ++i)
        for (int col = 0; col < d; ++col) {
            out[size_t(i) * size_t(d) + size_t(col)] = float(q(i, col));
            out[size_t(n + i) * size_t(d) + size_t(col)] = float(k(i, col));
        }
    return out;
}

std::vector<float> pcaProjection(const float* points, int count, int dim) {
    std::vector<float> out(size_t(count) * 2, 0.0f);  // (count, 2)
    if (count == 0 || dim == 0) return out;
    RowMatrix x(count, dim);
    for (int i = 0; i < count; ++i)
        for (int c = 0; c < dim; ++c) x(i, c) = points[size_t(i) * size_t(dim) + size_t(c)];
    x.rowwise() -= x.colwise().mean();
    const Eigen::MatrixXd cov = x.transpose() * x / std::max(1, count - 1);  // (dim, dim)
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);  // ascending eigenvalues
    for (int axis = 0; axis < 2 && axis < dim; ++axis) {
        const Eigen::VectorXd dir = eig.eigenvectors().col(dim - 1 - axis);
        Eigen::VectorXd proj = x * dir;  // (count)
        Eigen::Index top = 0;
        proj.cwiseAbs().maxCoeff(&top);
        if (proj(top) < 0) proj = -proj;
        for (int i = 0; i < count; ++i) out[size_t(i) * 2 + size_t(axis)] = float(proj(i));
    }
    return out;
}

namespace {

// Row i of P: Gaussian affinities with the precision beta found by bisection so that the row's
// entropy is log(perplexity).
void affinityRow(const std::vector<double>& dist, int count, int i, double perplexity, double* row) {
    const double target = std::log(perplexity);
    double beta = 1, lo = 0, hi = std::numeric_limits<double>::infinity();
    for (int step = 0; step < 100; ++step) {
        double sum = 0, weighted = 0;
        for (int j = 0; j < count; ++j) {
            if (j == i) {
                row[j] = 0;
                continue;
            }
            const double dij = dist[size_t(i) * size_t(count) + size_t(j)];
            row[j] = std::exp(-dij * beta);
            sum += row[j];
            weighted += dij * row[j];
        }
        if (sum <= 0) sum = 1e-300;
        const double entropy = std::log(sum) + beta * weighted / sum;
        for (int j = 0; j < count; ++j) row[j] /= sum;
        if (std::abs(entropy - target) < 1e-5) break;
        if (entropy > target) {  // too flat: sharpen
            lo = beta;
            beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
        } else {
            hi = beta;
            beta = (beta + lo) / 2;
        }
    }
}

}  // namespace

Result<std::vector<float>> tsneProjection(const float* points, int count, int dim, const TsneOptions& o, const std::atomic<bool>* cancel) {
    if (count > kMaxTsnePoints)
        return inputError(QStringLiteral("t-SNE runs on up to %1 points; this head has %2 (use PCA)").arg(kMaxTsnePoints).arg(count));
    std::vector<float> pca = pcaProjection(points, count, dim);
    if (count < 4) return pca;
    const size_t N = size_t(count);
    // Squared distances, scaled so the bisection starts in range whatever the vectors' size.
    std::vector<double> dist(N * N);
    double mean = 0;
    for (size_t i = 0; i < N; ++i)
        for (size_t j = 0; j < N; ++j) {
            double s = 0;
            for (int c = 0; c < dim; ++c) {
                const double v = double(points[i * size_t(dim) + size_t(c)]) - double(points[j * size_t(dim) + size_t(c)]);
                s += v * v;
            }
            dist[i * N + j] = s;
            mean += s;
        }
    mean /= double(N * N);
    if (mean > 0)
        for (double& v : dist) v /= mean;
    const double perplexity = std::clamp(double(o.perplexity), 1.0, (count - 1) / 3.0);
    std::vector<double> p(N * N);  // symmetric joint probabilities
    for (int i = 0; i < count; ++i) affinityRow(dist, count, i, perplexity, p.data() + size_t(i) * N);
    for (size_t i = 0; i < N; ++i)
        for (size_t j = i + 1; j < N; ++j) p[i * N + j] = p[j * N + i] = std::max((p[i * N + j] + p[j * N + i]) / (2.0 * double(N)), 1e-12);
    for (size_t i = 0; i < N; ++i) p[i * N + i] = 0;

    // Start: PCA scaled to a standard deviation of 1e-4, with a seeded jitter breaking ties.
    std::vector<double> y(N * 2), update(N * 2, 0), gains(N * 2, 1), grad(N * 2);
    double sd = 0;
    for (float v : pca) sd += double(v) * double(v);
    sd = std::sqrt(sd / double(pca.size()));
    std::mt19937 rng(o.seed);
    std::normal_distribution<double> jitter(0, 1e-6);
    for (size_t i = 0; i < y.size(); ++i) y[i] = (sd > 0 ? double(pca[i]) / sd * 1e-4 : 0) + jitter(rng);
    const double rate = std::max(double(N) / 12.0, 50.0);
    std::vector<double> q(N * N);
    for (int it = 0; it < o.iterations; ++it) {
        if (cancel && cancel->load()) return inputError(QStringLiteral("cancelled"));
        const double exaggeration = it < 250 ? 12.0 : 1.0;
        const double momentum = it < 250 ? 0.5 : 0.8;
        // q_ij = 1 / (1 + |y_i - y_j|^2) and its sum z, then each row's gradient: rows on every core.
        const int parts = std::max(1, std::min(kernels::threads(), count / 64));
        std::vector<double> zs(size_t(parts), 0.0);
        kernels::parallelFor(parts, [&](int part) {
            double local = 0;
            for (size_t i = N * size_t(part) / size_t(parts), end = N * size_t(part + 1) / size_t(parts); i < end; ++i)
                for (size_t j = 0; j < N; ++j) {
                    const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    const double v = i == j ? 0.0 : 1.0 / (1.0 + dx * dx + dy * dy);
                    q[i * N + j] = v;
                    local += v;
                }
            zs[size_t(part)] = local;
        });
        double z = 0;
        for (double v : zs) z += v;
        kernels::parallelFor(parts, [&](int part) {
            for (size_t i = N * size_t(part) / size_t(parts), end = N * size_t(part + 1) / size_t(parts); i < end; ++i) {
                double gx = 0, gy = 0;
                const double* pi = p.data() + i * N;
                const double* qi = q.data() + i * N;
                for (size_t j = 0; j < N; ++j) {
                    const double w = (exaggeration * pi[j] - qi[j] / z) * qi[j];
                    gx += w * (y[2 * i] - y[2 * j]);
                    gy += w * (y[2 * i + 1] - y[2 * j + 1]);
                }
                grad[2 * i] = 4 * gx;
                grad[2 * i + 1] = 4 * gy;
            }
        });
        for (size_t i = 0; i < y.size(); ++i) {
            gains[i] = (grad[i] > 0) != (update[i] > 0) ? gains[i] + 0.2 : std::max(gains[i] * 0.8, 0.01);
            update[i] = momentum * update[i] - rate * gains[i] * grad[i];
            y[i] += update[i];
        }
        double mx = 0, my = 0;  // keep the cloud centred
        for (size_t i = 0; i < N; ++i) {
            mx += y[2 * i];
            my += y[2 * i + 1];
        }
        for (size_t i = 0; i < N; ++i) {
            y[2 * i] -= mx / double(N);
            y[2 * i + 1] -= my / double(N);
        }
    }
    std::vector<float> out(N * 2);
    for (size_t i = 0; i < out.size(); ++i) out[i] = float(y[i]);
    return out;
}

}  // namespace attnscope::core
