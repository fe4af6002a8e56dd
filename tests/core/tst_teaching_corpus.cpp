// The teaching corpus generator (issue 13): its size, that the held-out split never leaks into
// training, that sentences fit the model, and the hand-written probe file's parser.
#include "model/builtin_models.h"
#include "tokenize/tokenizer_loader.h"
#include "train/probe_sentences.h"
#include "train/winograd_corpus.h"
#include "train/winograd_lexicon.h"

#include <QSet>
#include <QTest>

using namespace attnscope::core;
using namespace attnscope::core::train;

class TestTeachingCorpus : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void isLargeEnough();
    void trainingNeverHoldsHeldOutCombinations();
    void heldOutSentencesAreUnseenPairsAndShapes();
    void sameSeedSameSentences();
    void sentencesFitTheModel();
    void everyShapeCanBeSaid();
    void nounsAreSingleTokens();
    void probeFileParses();
    void probeFileErrors_data();
    void probeFileErrors();

private:
    std::shared_ptr<const Tokenizer> m_tokenizer;
    WinogradCorpus m_corpus{7};
};

void TestTeachingCorpus::initTestCase() {
    auto tok = loadTokenizer(builtinTeachingModelPath());
    QVERIFY2(tok, qPrintable(tok.message()));
    m_tokenizer = *tok;
    QCOMPARE(m_tokenizer->vocabSize(), 30522);  // bert-base-uncased's vocabulary
}

void TestTeachingCorpus::isLargeEnough() {
    qInfo("%d frames, %d syntaxes, %d shapes, %d noun forms, %d properties", m_corpus.frameCount(), m_corpus.syntaxCount(),
          m_corpus.shapeCount(), int(m_corpus.nouns().size()), int(m_corpus.properties().size()));
    QVERIFY2(m_corpus.syntaxCount() >= 40, qPrintable(QString::number(m_corpus.syntaxCount())));
    QVERIFY(m_corpus.frameCount() >= 30);
    QVERIFY(m_corpus.shapeCount() >= 800);
    QVERIFY2(m_corpus.nouns().size() >= 400, qPrintable(QString::number(m_corpus.nouns().size())));
    QVERIFY(m_corpus.properties().size() >= 150);
    // Every kind of noun the issue names, with he/she people and plural groups.
    const auto& byCategory = nounsByCategory();
    for (Category c : {Category::Animal, Category::Person, Category::Name, Category::Item, Category::Container, Category::Way,
                       Category::Vehicle, Category::Food})
        QVERIFY(byCategory[size_t(c)].size() >= 20);
}

void TestTeachingCorpus::trainingNeverHoldsHeldOutCombinations() {
    std::mt19937 rng(3);
    QSet<QString> pronouns;
    int cataphora = 0, objects = 0;
    for (int i = 0; i < 20000; ++i) {
        const WinogradSentence s = m_corpus.trainingSentence(rng);
        QVERIFY2(!m_corpus.isHeldOut(s), qPrintable(s.text));
        QCOMPARE(s.text.mid(s.pronounStart, s.pronounLength).toLower(), s.pronoun);
        QCOMPARE(s.text.mid(s.referentStart, s.referentLength).toLower(), s.referent);
        pronouns.insert(s.pronoun);
        cataphora += s.pronounStart < s.referentStart;
        objects += s.pronoun == QLatin1String("them") || s.pronoun == QLatin1String("him");
    }
    for (const char* p : {"it", "he", "she", "they", "him", "her", "them"}) QVERIFY2(pronouns.contains(QLatin1String(p)), p);
    QVERIFY(cataphora > 1000);  // "Because it was tired, the animal ..."
    QVERIFY(objects > 100);     // "... so the animal didn't cross it"
}

void TestTeachingCorpus::heldOutSentencesAreUnseenPairsAndShapes() {
    const auto held = m_corpus.heldOut(500);
    QCOMPARE(int(held.size()), 500);
    QSet<QString> properties;
    for (const WinogradSentence& s : held) {
        QVERIFY(m_corpus.isHeldOutPair(s.nounA, s.nounB));
        QVERIFY(m_corpus.isHeldOutShape(s.frame, s.syntax));
        if (m_corpus.isHeldOutProperty(s.frame, s.property)) properties.insert(s.property);
    }
    QVERIFY(properties.size() >= 10);  // some properties were never seen with that frame either
}

void TestTeachingCorpus::sameSeedSameSentences() {
    std::mt19937 a(5), b(5);
    for (int i = 0; i < 200; ++i) QCOMPARE(m_corpus.trainingSentence(a).text, m_corpus.trainingSentence(b).text);
    QCOMPARE(m_corpus.heldOut(50).back().text, WinogradCorpus(7).heldOut(50).back().text);
    QVERIFY(WinogradCorpus(8).heldOut(50).back().text != m_corpus.heldOut(50).back().text);
}

void TestTeachingCorpus::sentencesFitTheModel() {
    std::mt19937 rng(11);
    int longest = 0, shortest = 1000;
    const int unk = m_tokenizer->id(QStringLiteral("[UNK]"));
    for (int i = 0; i < 5000; ++i) {
        const WinogradSentence s = m_corpus.trainingSentence(rng);
        const Encoding e = *m_tokenizer->encode(s.text);
        QVERIFY2(std::find(e.ids.begin(), e.ids.end(), unk) == e.ids.end(), qPrintable(s.text));
        longest = std::max(longest, e.size() - 2);
        shortest = std::min(shortest, e.size() - 2);
    }
    QVERIFY2(longest <= 40 && shortest >= 5, qPrintable(QStringLiteral("%1..%2 tokens").arg(shortest).arg(longest)));
}

void TestTeachingCorpus::everyShapeCanBeSaid() {
    // Each frame in each syntax that applies appears among a large sample of training or held-out sentences.
    std::mt19937 rng(13);
    QSet<int> seen;
    for (int i = 0; i < 200000; ++i) {
        const WinogradSentence s = m_corpus.trainingSentence(rng);
        seen.insert(s.frame * 1000 + s.syntax);
    }
    for (const WinogradSentence& s : m_corpus.heldOut(3000)) seen.insert(s.frame * 1000 + s.syntax);
    int missing = 0;
    for (int f = 0; f < m_corpus.frameCount(); ++f)
        for (int x = 0; x < m_corpus.syntaxCount(); ++x)
            missing += m_corpus.applies(f, x) && !seen.contains(f * 1000 + x);
    QVERIFY2(missing <= m_corpus.shapeCount() / 50, qPrintable(QString::number(missing)));
}

void TestTeachingCorpus::nounsAreSingleTokens() {
    // The LM head names the referent: each noun form must be one token of the vocabulary.
    for (const QString& noun : m_corpus.nouns()) QVERIFY2(m_tokenizer->encode(noun)->size() == 3, qPrintable(noun));
}

void TestTeachingCorpus::probeFileParses() {
    auto probes = parseProbeSentences("# comment\nThe trophy didn't fit in the suitcase because it was too big.\tit\tTrophy\r\n\n"
                                      "Mary thanked Anna because she was kind.\tshe\tanna\n");
    QVERIFY2(probes, qPrintable(probes.message()));
    QCOMPARE(int(probes->size()), 2);
    const WinogradSentence& s = probes->front();
    QCOMPARE(s.text.mid(s.pronounStart, s.pronounLength), QStringLiteral("it"));
    QCOMPARE(s.text.mid(s.referentStart, s.referentLength), QStringLiteral("trophy"));
    QCOMPARE(probes->back().referentStart, int(QStringLiteral("Mary thanked ").size()));
    // Offsets count code points, as the tokenizers' do (🙂 is one, not two UTF-16 units).
    auto emoji = parseProbeSentences("\xf0\x9f\x99\x82 The dog ran because it was tired.\tit\tdog\n");
    QVERIFY(emoji);
    QCOMPARE(emoji->front().referentStart, 6);
    QCOMPARE(emoji->front().pronounStart, 22);
    auto file = readProbeSentences(QStringLiteral(ATTNSCOPE_SOURCE_DIR "/tests/data/teacher_sentences.tsv"));
    QVERIFY2(file, qPrintable(file.message()));
    QVERIFY(file->size() >= 40);
}

void TestTeachingCorpus::probeFileErrors_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << "no sentences";
    QTest::newRow("two cells") << QByteArray("A sentence.\tit\n") << "line 1: expected sentence, pronoun and referent";
    QTest::newRow("pronoun missing") << QByteArray("# c\nThe dog ran.\tit\tdog\n") << "line 2: “it” is not a word";
    QTest::newRow("inside a word") << QByteArray("The kite flew.\tit\tkite\n") << "“it” is not a word";
    QTest::newRow("referent missing") << QByteArray("It ran.\tit\tdog\n") << "“dog” is not a word";
    QTest::newRow("itself") << QByteArray("It ran.\tit\tit\n") << "its own referent";
    QTest::newRow("empty cell") << QByteArray("It ran.\t\tdog\n") << "empty cell";
    QTest::newRow("too long") << QByteArray(QByteArray(2000, 'a') + " it dog\tit\tdog\n") << "longer than 1000";
}

void TestTeachingCorpus::probeFileErrors() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    auto probes = parseProbeSentences(bytes);
    QVERIFY(!probes);
    QVERIFY2(probes.message().contains(message), qPrintable(probes.message()));
}

QTEST_APPLESS_MAIN(TestTeachingCorpus)
#include "tst_teaching_corpus.moc"
