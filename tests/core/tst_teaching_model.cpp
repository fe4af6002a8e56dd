// The built-in teaching model (resources/teaching-model) and the trainer that makes it (issue 13).
// Acceptance: on 500 held-out generated sentences the referent is named >= 98% and the coreference
// head config.json names peaks on it >= 95%; on the hand-written teacher sentences
// (tests/data/teacher_sentences.tsv, never used in training) that head >= 85% with no [UNK]; every
// minimal pair of the Examples menu flips; the same seed trains the same weights.
#include "analysis/referent_reading.h"
#include "model/builtin_models.h"
#include "model/minimal_pairs.h"
#include "model/text_analysis.h"
#include "train/probe_sentences.h"
#include "train/teaching_trainer.h"

#include <QTemporaryDir>
#include <QTest>

using namespace attnscope::core;

namespace {

struct Reading {
    QString peak;       // where the coreference head's pronoun row peaks
    QString predicted;  // the LM head's top token at the pronoun
    ReferentReading::Kind kind = ReferentReading::Kind::NoPronoun;
};

Reading read(const LoadedModel& model, const QString& text) {
    auto a = analyzeText(model, text, {});
    if (!a) return {a.message(), {}, {}};
    std::vector<int> predicted(size_t(a->encoding.size()), -1);
    for (int i = 0; i < a->encoding.size(); ++i) predicted[size_t(i)] = model.model->topK(a->output, i, 1)[0].id;
    const auto readings = readReferents(model.config(), *model.tokenizer, text, a->encoding, *a->trace, predicted);
    const ReferentReading& r = readings.front();
    Reading out;
    out.kind = r.kind;
    if (r.pronoun < 0) return out;
    out.peak = a->encoding.tokens[r.peak];
    out.predicted = model.tokenizer->display(r.predictedId).trimmed();
    return out;
}

}  // namespace

class TestTeachingModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void builtinModelLoadsFromTheBinary();
    void minimalPairs_data();
    void minimalPairs();
    void heldOutAcceptance();
    void teacherSentences();
    void honestOutsideWhatItLearned_data();
    void honestOutsideWhatItLearned();
    void swapFlipsTheDecidingWord();
    void sameSeedSameWeights();
    void quickTrainingLearns();

private:
    std::optional<LoadedModel> m_model;
};

void TestTeachingModel::initTestCase() {
    auto m = loadBuiltinTeachingModel();
    QVERIFY2(m, qPrintable(m.message()));
    m_model = *m;
}

void TestTeachingModel::builtinModelLoadsFromTheBinary() {
    const ModelConfig& c = m_model->config();
    QCOMPARE(c.modelType, QStringLiteral("bert"));
    QCOMPARE(c.vocabSize, 30522);
    QVERIFY(c.coreferenceHead.has_value());
    QVERIFY(c.coreferenceThreshold > 0.05f && c.coreferenceThreshold < 1.0f);
    QVERIFY(c.trainedTokens.size() > 800);
    QVERIFY(c.referentTokens.size() > 300);
    QVERIFY(m_model->model->hasLmHead());
    // Ordinary English never becomes [UNK]: unknown words fall into pieces.
    auto e = m_model->tokenizer->encode(QStringLiteral("The accountant, however, wasn't photosynthesising."));
    QVERIFY(e);
    QVERIFY(!e->tokens.contains(QStringLiteral("[UNK]")));
}

void TestTeachingModel::minimalPairs_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("referent");
    QVERIFY(attnscope::core::minimalPairs().size() >= 12);
    for (const MinimalPair& p : attnscope::core::minimalPairs()) {
        QTest::newRow(qPrintable(p.firstWord)) << p.first << p.firstReferent;
        QTest::newRow(qPrintable(p.secondWord)) << p.second << p.secondReferent;
    }
}

void TestTeachingModel::minimalPairs() {
    QFETCH(QString, text);
    QFETCH(QString, referent);
    const Reading r = read(*m_model, text);
    QCOMPARE(r.peak, referent);
    QCOMPARE(r.predicted, referent);
    QCOMPARE(int(r.kind), int(ReferentReading::Kind::Resolved));
}

void TestTeachingModel::heldOutAcceptance() {
    train::WinogradCorpus corpus(7);  // the shipped model's seed
    auto ev = train::evaluateTeachingModel(*m_model, corpus.heldOut(500));
    QVERIFY2(ev, qPrintable(ev.message()));
    QCOMPARE(ev->sentences, 500);
    QVERIFY2(ev->referentAccuracy >= 0.98, qPrintable(QString::number(ev->referentAccuracy)));
    const auto [layer, head] = *m_model->config().coreferenceHead;
    const double named = ev->headAccuracy[size_t(layer * m_model->config().heads + head)];
    QVERIFY2(named >= 0.95, qPrintable(QString::number(named)));
    qInfo("held out: referent %.1f%%, head %d.%d %.1f%%", ev->referentAccuracy * 100, layer, head, named * 100);
}

void TestTeachingModel::teacherSentences() {
    auto sentences = train::readProbeSentences(QStringLiteral(ATTNSCOPE_SOURCE_DIR "/tests/data/teacher_sentences.tsv"));
    QVERIFY2(sentences, qPrintable(sentences.message()));
    QVERIFY(sentences->size() >= 40);
    auto ev = train::evaluateTeachingModel(*m_model, *sentences);
    QVERIFY2(ev, qPrintable(ev.message()));
    QCOMPARE(ev->sentences, int(sentences->size()));
    QCOMPARE(ev->unknownTokens, 0);
    const auto [layer, head] = *m_model->config().coreferenceHead;
    const double named = ev->headAccuracy[size_t(layer * m_model->config().heads + head)];
    QVERIFY2(named >= 0.85, qPrintable(QString::number(named)));
    qInfo("teacher sentences: head %d.%d %.1f%%, referent named %.1f%%", layer, head, named * 100, ev->referentAccuracy * 100);
}

void TestTeachingModel::honestOutsideWhatItLearned_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    using K = ReferentReading::Kind;
    QTest::newRow("no pronoun") << "The animal crossed the road." << int(K::NoPronoun);
    QTest::newRow("unseen word") << "The accountant didn't cross the road because it was tired." << int(K::UnknownWords);
    QTest::newRow("unseen property") << "The animal didn't cross the road because it was photogenic." << int(K::UnknownWords);
    QTest::newRow("resolved") << defaultSentence() << int(K::Resolved);
}

void TestTeachingModel::honestOutsideWhatItLearned() {
    QFETCH(QString, text);
    QFETCH(int, kind);
    QCOMPARE(int(read(*m_model, text).kind), kind);
    // And the words it names are the ones typed, not pieces.
    if (kind == int(ReferentReading::Kind::UnknownWords)) {
        auto a = analyzeText(*m_model, text, {});
        const auto r = readReferents(m_model->config(), *m_model->tokenizer, text, a->encoding, *a->trace, {});
        QVERIFY(r.front().unknownWords.size() == 1);
        QVERIFY(text.contains(r.front().unknownWords.front()));
        QVERIFY(describeReading(r.front(), a->encoding.tokens).startsWith(QStringLiteral("Outside what this model learned")));
    }
}

void TestTeachingModel::swapFlipsTheDecidingWord() {
    auto swap = swapDecidingWord(defaultSentence());
    QVERIFY(swap);
    QCOMPARE(swap->text, defaultSentenceTwin());
    QCOMPARE(swapDecidingWord(defaultSentenceTwin())->text, defaultSentence());
    // A sentence of one's own with a pair's word: that word swapped, case kept elsewhere.
    swap = swapDecidingWord(QStringLiteral("My Dog was Hungry today."));
    QVERIFY(swap);
    QCOMPARE(swap->text, QStringLiteral("My Dog was delicious today."));
    QVERIFY(!swapDecidingWord(QStringLiteral("Nothing here flips.")));
}

void TestTeachingModel::sameSeedSameWeights() {
    train::TeachingOptions options = train::TeachingOptions::quick();
    options.steps = 20;
    train::TeachingTrainer a(options), b(options);
    a.train();
    b.train();
    QTemporaryDir da, db;
    QVERIFY(a.exportFolder(da.path()).ok());
    QVERIFY(b.exportFolder(db.path()).ok());
    auto bytes = [](const QTemporaryDir& d) {
        QFile f(d.filePath(QStringLiteral("model.safetensors")));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    QVERIFY(!bytes(da).isEmpty());
    QVERIFY(bytes(da) == bytes(db));
    options.seed += 1;
    train::TeachingTrainer c(options);
    c.train();
    QTemporaryDir dc;
    QVERIFY(c.exportFolder(dc.path()).ok());
    QVERIFY(bytes(dc) != bytes(da));
}

void TestTeachingModel::quickTrainingLearns() {
    // The Train view's configuration (about a minute on two cores), from another seed.
    train::TeachingOptions options = train::TeachingOptions::quick();
    options.seed = 11;
    train::TeachingTrainer trainer(options);
    trainer.train();
    auto snapshot = trainer.snapshot();
    QVERIFY2(snapshot, qPrintable(snapshot.message()));
    auto ev = train::evaluateTeachingModel(*snapshot, trainer.corpus().heldOut(200));
    QVERIFY2(ev, qPrintable(ev.message()));
    QVERIFY2(ev->referentAccuracy >= 0.4, qPrintable(QString::number(ev->referentAccuracy)));
    QVERIFY2(ev->bestHeadAccuracy >= 0.6, qPrintable(QString::number(ev->bestHeadAccuracy)));
    QTemporaryDir dir;
    QVERIFY(trainer.exportFolder(dir.path(), &*ev).ok());
    auto reloaded = loadModelFolder(dir.path());  // a standard BERT folder
    QVERIFY2(reloaded, qPrintable(reloaded.message()));
    QCOMPARE(reloaded->config().coreferenceHead->first, ev->bestLayer);
    QCOMPARE(reloaded->config().trainedTokens, trainer.trainedTokens());
    QVERIFY(reloaded->config().coreferenceThreshold > 0);
    qInfo("quick training: referent %.1f%%, best head %.1f%%", ev->referentAccuracy * 100, ev->bestHeadAccuracy * 100);
}

QTEST_APPLESS_MAIN(TestTeachingModel)
#include "tst_teaching_model.moc"
