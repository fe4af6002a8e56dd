// Analyses speed (QBENCHMARK; run by hand: build/tests/bench_analyses [-iterations 20]). Not a
// pass/fail test. Random bert-base weights (12 layers x 12 heads):
//   head statistics: 144 heads at 128 tokens (the Analyses panel's table, heads --text)
//   rollout: the full n x n product at 512 tokens (rollout --text), heads fused by mean
//   corpus: 20 texts of ~30 tokens through heads --corpus's loop, against their forwards alone
//   value norms: a 128-token forward recording the value-weighted norms, against without
//   logit lens: random gpt2 shapes (50,257-word head), 32 tokens, 13 hidden states
//   compare: the head that changes most between two 128-token traces (144 heads)
//   PCA and t-SNE of 2,000 points (a head's queries and keys at 1,000 tokens, d = 64)
#include "analysis/compare.h"
#include "analysis/head_stats.h"
#include "analysis/logit_lens.h"
#include "analysis/qk_projection.h"
#include "analysis/rollout.h"
#include "model/synthetic_model.h"
#include "trace/attention_trace.h"

#include <QElapsedTimer>
#include <QTest>

using namespace attnscope::core;

class BenchAnalyses : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void headStatistics128();
    void rollout512();
    void corpusOverhead();
    void valueNormsOverhead();
    void logitLens32();
    void compare128();
    void pca2000();
    void tsne2000();

private:
    std::shared_ptr<const AttentionTrace> trace(int n) const;
    std::shared_ptr<Model> m_model;
};

void BenchAnalyses::initTestCase() {
    auto synth = makeSyntheticModel(QStringLiteral("bert-base"));
    QVERIFY(synth);
    m_model = *synth;
}

std::shared_ptr<const AttentionTrace> BenchAnalyses::trace(int n) const {
    std::vector<int> ids(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) ids[size_t(i)] = 1000 + i * 37;
    TraceRecorder rec;
    if (!m_model->forward(ids, {}, &rec)) return nullptr;
    return rec.take();
}

void BenchAnalyses::headStatistics128() {
    const auto t = trace(128);
    QVERIFY(t);
    std::vector<bool> special(128, false);
    special[0] = special[127] = true;
    QBENCHMARK { (void)headStatistics(*t, special); }
}

void BenchAnalyses::rollout512() {
    const auto t = trace(512);
    QVERIFY(t);
    QBENCHMARK { (void)attentionRollout(*t, HeadFusion::Mean, 0.0f); }
}

// heads --corpus: each text's forward with its trace and statistics, against the forward alone.
void BenchAnalyses::corpusOverhead() {
    std::vector<std::vector<int>> texts;
    for (int k = 0; k < 20; ++k) {
        std::vector<int> ids(static_cast<size_t>(28 + k % 5));
        for (size_t i = 0; i < ids.size(); ++i) ids[i] = int(1000 + (i * 37 + size_t(k) * 101) % 20000);
        texts.push_back(ids);
    }
    QElapsedTimer timer;
    timer.start();
    for (const auto& ids : texts) (void)m_model->forward(ids, {}, nullptr);
    const double plain = double(timer.nsecsElapsed()) / 1e6;
    timer.restart();
    for (const auto& ids : texts) {
        TraceRecorder rec;
        (void)m_model->forward(ids, {}, &rec);
        const auto t = rec.take();
        (void)headStatistics(*t, std::vector<bool>(ids.size(), false));
    }
    const double corpus = double(timer.nsecsElapsed()) / 1e6;
    qInfo("corpus of %d texts: forwards alone %.1f ms, with trace and statistics %.1f ms (%.2fx)", int(texts.size()), plain, corpus, corpus / plain);
}

void BenchAnalyses::valueNormsOverhead() {
    std::vector<int> ids(128);
    for (int i = 0; i < 128; ++i) ids[size_t(i)] = 1000 + i * 37;
    auto time = [&](bool norms) {
        double best = 1e300;
        for (int r = 0; r < 5; ++r) {
            TraceRecorder rec;
            rec.setValueNorms(norms);
            QElapsedTimer timer;
            timer.start();
            (void)m_model->forward(ids, {}, &rec);
            best = std::min(best, double(timer.nsecsElapsed()) / 1e6);
        }
        return best;
    };
    const double plain = time(false), norms = time(true);
    qInfo("128-token forward with trace: %.1f ms; with value norms %.1f ms (%.2fx)", plain, norms, norms / plain);
}

void BenchAnalyses::logitLens32() {
    auto gpt2 = makeSyntheticModel(QStringLiteral("gpt2"));
    QVERIFY(gpt2);
    std::vector<int> ids(32);
    for (int i = 0; i < 32; ++i) ids[size_t(i)] = 100 + i * 977;
    TraceRecorder rec;
    QVERIFY((*gpt2)->forward(ids, {}, &rec));
    const auto t = rec.take();
    QBENCHMARK { (void)logitLens(**gpt2, *t, 5); }
}

void BenchAnalyses::compare128() {
    const auto a = trace(128), b = trace(128);
    QStringList labels;
    for (int i = 0; i < 128; ++i) labels << QString::number(i);
    QBENCHMARK { (void)mostChangedHead(labels, *a, labels, *b); }
}

namespace {
std::vector<float> randomPoints(int count, int dim) {
    std::vector<float> p(size_t(count) * size_t(dim));
    uint32_t x = 12345;
    for (float& v : p) {
        x = x * 1664525u + 1013904223u;
        v = float(x >> 8) / float(1 << 24) + ((&v - p.data()) / dim < count / 2 ? 0.0f : 2.0f);
    }
    return p;
}
}  // namespace

void BenchAnalyses::pca2000() {
    const auto p = randomPoints(2000, 64);
    QBENCHMARK { (void)pcaProjection(p.data(), 2000, 64); }
}

void BenchAnalyses::tsne2000() {
    const auto p = randomPoints(2000, 64);
    QBENCHMARK_ONCE { QVERIFY(tsneProjection(p.data(), 2000, 64)); }
}

QTEST_MAIN(BenchAnalyses)
#include "bench_analyses.moc"
