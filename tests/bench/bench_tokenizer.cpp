// Tokenizer speed on hostile words (QBENCHMARK; built, run by hand: build/tests/bench_tokenizer).
// The target: a 60,000-letter word in well under a second with every tokenizer (the quadratic
// merge loop took 30.7 s for 32,000 letters).
#include "bpe_reference.h"
#include "tokenize/tokenizer_loader.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace attnscope::core;

class BenchTokenizer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void longWord_data();
    void longWord();
    void peerRescanningMerges_data();
    void peerRescanningMerges();

private:
    std::shared_ptr<const Tokenizer> m_gpt2, m_bert, m_wordPieceUnbounded;
};

void BenchTokenizer::initTestCase() {
    const QString shared = QStringLiteral(ATTNSCOPE_SHARED_FIXTURES);
    if (!QDir(shared).exists()) QSKIP("../shared/fixtures is absent");
    m_gpt2 = *loadTokenizer(shared + QStringLiteral("/gpt2"));
    m_bert = *loadTokenizer(shared + QStringLiteral("/bert-base-uncased"));
    // The same vocabulary with max_input_chars_per_word far above the word (no [UNK] shortcut).
    QFile vocab(shared + QStringLiteral("/bert-base-uncased/vocab.txt"));
    QVERIFY(vocab.open(QIODevice::ReadOnly));
    QJsonObject ids;
    int id = 0;
    for (const QByteArray& line : vocab.readAll().split('\n'))
        if (!line.isEmpty()) ids.insert(QString::fromUtf8(line), id++);
    const QJsonObject json{{"model", QJsonObject{{"type", "WordPiece"}, {"vocab", ids}, {"unk_token", "[UNK]"}, {"max_input_chars_per_word", 1000000000}}},
                           {"normalizer", QJsonObject{{"type", "BertNormalizer"}, {"lowercase", true}}},
                           {"pre_tokenizer", QJsonObject{{"type", "BertPreTokenizer"}}}};
    auto wp = parseTokenizerJson(json);
    QVERIFY2(wp, qPrintable(wp.message()));
    m_wordPieceUnbounded = *wp;
}

void BenchTokenizer::longWord_data() {
    QTest::addColumn<QString>("tokenizer");
    QTest::addColumn<QString>("word");
    std::mt19937 rng(1);
    QString random;
    for (int i = 0; i < 60000; ++i) random += QChar(u'a' + char16_t(rng() % 26));
    const QString same = QStringLiteral("a").repeated(60000);
    for (const char* t : {"gpt2", "bert", "wordpiece-unbounded"}) {
        QTest::newRow(qPrintable(QStringLiteral("%1, 60000 x a").arg(QLatin1String(t)))) << QString::fromLatin1(t) << same;
        QTest::newRow(qPrintable(QStringLiteral("%1, 60000 random letters").arg(QLatin1String(t)))) << QString::fromLatin1(t) << random;
    }
}

void BenchTokenizer::longWord() {
    QFETCH(QString, tokenizer);
    QFETCH(QString, word);
    const Tokenizer* t = tokenizer == QLatin1String("gpt2") ? m_gpt2.get() : tokenizer == QLatin1String("bert") ? m_bert.get()
                                                                                                               : m_wordPieceUnbounded.get();
    int tokens = 0;
    QBENCHMARK {
        // A fresh word each time: the BPE cache would otherwise answer from memory.
        static int salt = 0;
        auto enc = t->encode(word + QString::number(++salt));
        tokens = enc ? enc->size() : -1;
    }
    QVERIFY(tokens > 0);
}

// The peer: BPE as the plain definition (rescan every pair for the best rank, merge, repeat), as
// AttnScope did before, against ours on the same random words; run both to see the ratio.
void BenchTokenizer::peerRescanningMerges_data() {
    QTest::addColumn<bool>("rescan");
    QTest::addColumn<int>("letters");
    for (int n : {2000, 8000}) {
        QTest::newRow(qPrintable(QStringLiteral("rescanning, %1 letters").arg(n))) << true << n;
        QTest::newRow(qPrintable(QStringLiteral("AttnScope, %1 letters").arg(n))) << false << n;
    }
}

void BenchTokenizer::peerRescanningMerges() {
    QFETCH(bool, rescan);
    QFETCH(int, letters);
    static const QHash<QString, int> ranks = attnscope::test::loadMergeRanks(QStringLiteral(ATTNSCOPE_SHARED_FIXTURES "/gpt2/merges.txt"));
    QVERIFY(!ranks.isEmpty());
    std::mt19937 rng(2);
    QString word;
    for (int i = 0; i < letters; ++i) word += QChar(u'a' + char16_t(rng() % 26));
    int count = 0;
    QBENCHMARK {
        if (!rescan) {
            static int salt = 0;
            count = m_gpt2->encode(word + QString::number(++salt))->size();
            continue;
        }
        const QStringList s = attnscope::test::referenceBpe(word, ranks);
        count = int(s.size());
    }
    QVERIFY(count > 0);
}

QTEST_APPLESS_MAIN(BenchTokenizer)
#include "bench_tokenizer.moc"
