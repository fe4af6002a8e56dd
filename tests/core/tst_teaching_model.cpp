// The built-in teaching model (resources/teaching-model) and the trainer that makes it.
// Acceptance: referent accuracy >= 95% on held-out sentences, a coreference head whose pronoun row
// peaks on the referent in >= 90% of them (the one config.json names), and the canonical pair.
#include "model/builtin_models.h"
#include "model/text_analysis.h"
#include "train/teaching_trainer.h"

#include <QTemporaryDir>
#include <QTest>

using namespace attnscope::core;

namespace {

// Where the pronoun's attention row peaks in a head, as a token string.
QString peak(const LoadedModel& model, const QString& text, int layer, int head) {
    auto a = analyzeText(model, text, {});
    if (!a) return a.message();
    const int it = a->encoding.tokens.indexOf(QStringLiteral("it"));
    const HeadMatrices matrices = a->trace->head(layer, head);
    const float* row = matrices.probsRow(it);
    return a->encoding.tokens[int(std::max_element(row, row + a->trace->tokens()) - row)];
}

}  // namespace

class TestTeachingModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void builtinModelLoadsFromTheBinary();
    void canonicalSentences_data();
    void canonicalSentences();
    void heldOutAcceptance();
    void corpusHoldsOutCombinations();
    void freshTrainingReachesTheSameQuality();
};

void TestTeachingModel::builtinModelLoadsFromTheBinary() {
    auto m = loadBuiltinTeachingModel();
    QVERIFY2(m, qPrintable(m.message()));
    QCOMPARE(m->config().modelType, QStringLiteral("bert"));
    QVERIFY(m->config().coreferenceHead.has_value());
    QVERIFY(m->model->hasLmHead());
    QCOMPARE(m->model->checkpoint().storageDType(), QStringLiteral("F32"));
    auto unknown = m->tokenizer->encode(QStringLiteral("The zebra didn't cross the road."));
    QVERIFY(unknown);
    QCOMPARE(unknown->tokens[2], QStringLiteral("[UNK]"));  // outside the vocabulary, visibly
}

void TestTeachingModel::canonicalSentences_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("referent");
    QTest::newRow("tired -> animal") << defaultSentence() << "animal";
    QTest::newRow("wide -> road") << defaultSentenceTwin() << "road";
    QTest::newRow("too big -> trophy") << "The trophy didn't fit in the suitcase because it was too big." << "trophy";
    QTest::newRow("too small -> suitcase") << "The trophy didn't fit in the suitcase because it was too small." << "suitcase";
}

void TestTeachingModel::canonicalSentences() {
    QFETCH(QString, text);
    QFETCH(QString, referent);
    auto m = loadBuiltinTeachingModel();
    QVERIFY(m);
    const auto [layer, head] = *m->config().coreferenceHead;
    QCOMPARE(peak(*m, text, layer, head), referent);
}

void TestTeachingModel::heldOutAcceptance() {
    auto m = loadBuiltinTeachingModel();
    QVERIFY(m);
    train::WinogradCorpus corpus(7);  // the shipped model's seed
    auto ev = train::evaluateTeachingModel(*m, corpus.heldOut(400));
    QVERIFY2(ev, qPrintable(ev.message()));
    QVERIFY2(ev->referentAccuracy >= 0.95, qPrintable(QString::number(ev->referentAccuracy)));
    const auto [layer, head] = *m->config().coreferenceHead;
    const double named = ev->headAccuracy[size_t(layer * m->config().heads + head)];
    QVERIFY2(named >= 0.90, qPrintable(QString::number(named)));
}

void TestTeachingModel::corpusHoldsOutCombinations() {
    train::WinogradCorpus corpus(7);
    QVERIFY(corpus.templateCount() >= 8);
    QVERIFY(corpus.nouns().size() >= 40);
    QVERIFY(corpus.properties().size() >= 20);
    std::mt19937 rng(3);
    for (int i = 0; i < 2000; ++i) {
        const auto s = corpus.trainingSentence(rng);
        QVERIFY(!corpus.isHeldOut(s.nounA, s.nounB, s.property));
        QVERIFY(s.referent == s.nounA || s.referent == s.nounB);
    }
    for (const auto& s : corpus.heldOut(200)) QVERIFY(corpus.isHeldOut(s.nounA, s.nounB, s.property));
}

void TestTeachingModel::freshTrainingReachesTheSameQuality() {
    train::TeachingOptions options;  // the defaults `train-teaching` uses
    options.seed = 11;               // not the shipped model's seed
    train::TeachingTrainer trainer(options);
    trainer.train();
    QTemporaryDir dir;
    auto snapshot = trainer.snapshot();
    QVERIFY2(snapshot, qPrintable(snapshot.message()));
    auto ev = train::evaluateTeachingModel(*snapshot, trainer.corpus().heldOut(300));
    QVERIFY2(ev, qPrintable(ev.message()));
    QVERIFY2(ev->referentAccuracy >= 0.95, qPrintable(QString::number(ev->referentAccuracy)));
    QVERIFY2(ev->bestHeadAccuracy >= 0.90, qPrintable(QString::number(ev->bestHeadAccuracy)));
    QVERIFY(trainer.exportFolder(dir.path(), std::make_pair(ev->bestLayer, ev->bestHead)).ok());
    auto reloaded = loadModelFolder(dir.path());  // a standard BERT folder
    QVERIFY2(reloaded, qPrintable(reloaded.message()));
    QCOMPARE(reloaded->config().coreferenceHead->first, ev->bestLayer);
    QCOMPARE(peak(*reloaded, defaultSentence(), ev->bestLayer, ev->bestHead), QStringLiteral("animal"));
    QCOMPARE(peak(*reloaded, defaultSentenceTwin(), ev->bestLayer, ev->bestHead), QStringLiteral("road"));
}

QTEST_APPLESS_MAIN(TestTeachingModel)
#include "tst_teaching_model.moc"
