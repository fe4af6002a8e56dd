// Analyses speed (QBENCHMARK; run by hand: build/tests/bench_analyses [-iterations 20]). Not a
// pass/fail test. Random bert-base weights (12 layers x 12 heads):
//   head statistics: 144 heads at 128 tokens (the Analyses panel's table, heads --text)
//   rollout: the full n x n product at 512 tokens (rollout --text), heads fused by mean
//   corpus: 20 texts of ~30 tokens through heads --corpus's loop, against their forwards alone
#include "analysis/head_stats.h"
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

QTEST_MAIN(BenchAnalyses)
#include "bench_analyses.moc"
