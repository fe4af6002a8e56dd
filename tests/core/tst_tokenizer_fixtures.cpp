// The real bert-base-uncased and GPT-2 vocabularies against ids from independent implementations
// (../shared/fixtures/tokenizer-cases). Skipped with a message when ../shared is absent.
#include "bpe_reference.h"
#include "test_paths.h"
#include "tokenize/token_labels.h"
#include "tokenize/tokenizer_loader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <map>
#include <random>

using namespace attnscope::core;
using attnscope::test::haveSharedFixtures;
using attnscope::test::sharedFixtures;

class TestTokenizerFixtures : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void bert_data() { addCases(QStringLiteral("bert-base-uncased.jsonl")); }
    void bert() { check(m_bert.get()); }
    void gpt2_data() { addCases(QStringLiteral("gpt2.jsonl")); }
    void gpt2() { check(m_gpt2.get()); }
    // tokenizer.json pipelines of today's decoders (ids include the BOS their templates add).
    void mistral_data() { addCases(QStringLiteral("mistral-7b.jsonl")); }
    void mistral() { check(modern(QStringLiteral("mistral-7b"))); }
    void llama3_data() { addCases(QStringLiteral("llama3.jsonl")); }
    void llama3() { check(modern(QStringLiteral("llama3"))); }
    void qwen3_data() { addCases(QStringLiteral("qwen3.jsonl")); }
    void qwen3() { check(modern(QStringLiteral("qwen3"))); }
    void gemma3_data() { addCases(QStringLiteral("gemma3.jsonl")); }
    void gemma3() { check(modern(QStringLiteral("gemma3"))); }
    void offsetsPointIntoTheText();
    void transformersEdgeCases_data();
    void transformersEdgeCases();
    void bpeMergesAsTheDefinition_data();
    void bpeMergesAsTheDefinition();
    void longWordsAreLinear();
    void chipLabels_data();
    void chipLabels();

private:
    void addCases(const QString& file);
    // Loaded once per folder of ../shared/fixtures.
    const Tokenizer* modern(const QString& folder);
    std::map<QString, std::shared_ptr<const Tokenizer>> m_modern;
    void check(const Tokenizer* tokenizer);

    std::shared_ptr<const Tokenizer> m_bert, m_gpt2;
};

void TestTokenizerFixtures::initTestCase() {
    if (!haveSharedFixtures())
        QSKIP(qPrintable(QStringLiteral("../shared/fixtures not found at %1: real-vocabulary tokenizer cases skipped").arg(sharedFixtures())));
    auto bert = loadTokenizer(sharedFixtures() + QStringLiteral("/bert-base-uncased"));
    QVERIFY2(bert, qPrintable(bert.message()));
    m_bert = *bert;
    auto gpt2 = loadTokenizer(sharedFixtures() + QStringLiteral("/gpt2"));
    QVERIFY2(gpt2, qPrintable(gpt2.message()));
    m_gpt2 = *gpt2;
    QCOMPARE(m_bert->vocabSize(), 30522);
    QCOMPARE(m_gpt2->vocabSize(), 50257);
}

const Tokenizer* TestTokenizerFixtures::modern(const QString& folder) {
    auto& slot = m_modern[folder];
    if (!slot) {
        auto t = loadTokenizer(sharedFixtures() + QLatin1Char('/') + folder);
        if (!t) qFatal("%s: %s", qPrintable(folder), qPrintable(t.message()));
        slot = *t;
    }
    return slot.get();
}

void TestTokenizerFixtures::addCases(const QString& file) {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<int>>("ids");
    QTest::addColumn<QStringList>("tokens");
    QFile f(sharedFixtures() + QStringLiteral("/tokenizer-cases/") + file);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    int line = 0;
    while (!f.atEnd()) {
        const QByteArray raw = f.readLine().trimmed();
        if (raw.isEmpty()) continue;
        const QJsonObject o = QJsonDocument::fromJson(raw).object();
        QList<int> ids;
        for (const QJsonValue& v : o.value(QStringLiteral("ids")).toArray()) ids << v.toInt();
        QStringList tokens;
        for (const QJsonValue& v : o.value(QStringLiteral("tokens")).toArray()) tokens << v.toString();
        const QString text = o.value(QStringLiteral("text")).toString();
        QTest::newRow(qPrintable(QStringLiteral("%1: %2").arg(++line).arg(text.left(24)))) << text << ids << tokens;
    }
}

void TestTokenizerFixtures::check(const Tokenizer* tokenizer) {
    QFETCH(QString, text);
    QFETCH(QList<int>, ids);
    QFETCH(QStringList, tokens);
    auto enc = tokenizer->encode(text);
    QVERIFY2(enc, qPrintable(enc.message()));
    QCOMPARE(QList<int>(enc->ids.begin(), enc->ids.end()), ids);
    if (!tokens.isEmpty()) QCOMPARE(enc->tokens, tokens);
}

void TestTokenizerFixtures::offsetsPointIntoTheText() {
    auto enc = m_bert->encode(QStringLiteral("Québec, naïve café!"));
    QVERIFY(enc);
    // [CLS] quebec , naive cafe ! [SEP]
    QCOMPARE(enc->tokens, (QStringList{"[CLS]", "quebec", ",", "naive", "cafe", "!", "[SEP]"}));
    QCOMPARE(enc->offsets[1], std::make_pair(0, 6));
    QCOMPARE(enc->offsets[3], std::make_pair(8, 13));
    QCOMPARE(enc->offsets[6], std::make_pair(0, 0));
    auto gpt = m_gpt2->encode(QStringLiteral("Hello world 🙂"));
    QVERIFY(gpt);
    QCOMPARE(gpt->offsets[0], std::make_pair(0, 5));
    QCOMPARE(gpt->offsets[1], std::make_pair(6, 11));  // the space is not part of the span
    QCOMPARE(m_gpt2->display(gpt->ids[1]), QStringLiteral(" world"));
}

// Cases where transformers (v4.31, run side by side by the author) and AttnScope differed.
void TestTokenizerFixtures::transformersEdgeCases_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<int>>("ids");
    QTest::addColumn<QList<int>>("firstTextOffset");  // [begin, end) of the first non-template token
    QTest::newRow("bert U+2028 splits") << "bert" << QStringLiteral("a\u2028b") << QList<int>{101, 1037, 1038, 102} << QList<int>{0, 1};
    QTest::newRow("bert U+2029 splits") << "bert" << QStringLiteral("a\u2029b") << QList<int>{101, 1037, 1038, 102} << QList<int>{0, 1};
    QTest::newRow("bert private use deleted") << "bert" << QStringLiteral("a\ue000b") << QList<int>{101, 11113, 102} << QList<int>{0, 3};
    QTest::newRow("bert unassigned deleted") << "bert" << QStringLiteral("a\u0378b") << QList<int>{101, 11113, 102} << QList<int>{0, 3};
    QTest::newRow("bert noncharacter deleted") << "bert" << QStringLiteral("a\ufdd0b") << QList<int>{101, 11113, 102} << QList<int>{0, 3};
    QTest::newRow("bert one space") << "bert" << QStringLiteral(" ") << QList<int>{101, 102} << QList<int>{};
    QTest::newRow("bert BOM only") << "bert" << QStringLiteral("\ufeff") << QList<int>{101, 102} << QList<int>{};
    QTest::newRow("bert leading BOM keeps offsets") << "bert" << QStringLiteral("\ufeffab") << QList<int>{101, 11113, 102} << QList<int>{1, 3};
    QTest::newRow("gpt2 one space") << "gpt2" << QStringLiteral(" ") << QList<int>{220} << QList<int>{0, 1};
    QTest::newRow("gpt2 BOM inside") << "gpt2" << QStringLiteral("a\ufeffb") << QList<int>{64, 171, 119, 123, 65} << QList<int>{0, 1};
    QTest::newRow("gpt2 leading BOM") << "gpt2" << QStringLiteral("\ufeffab") << QList<int>{171, 119, 123, 397} << QList<int>{0, 1};
}

void TestTokenizerFixtures::transformersEdgeCases() {
    QFETCH(QString, model);
    QFETCH(QString, text);
    QFETCH(QList<int>, ids);
    QFETCH(QList<int>, firstTextOffset);
    const Tokenizer* t = model == QLatin1String("bert") ? m_bert.get() : m_gpt2.get();
    auto enc = t->encode(text);
    QVERIFY2(enc, qPrintable(enc.message()));
    QCOMPARE(QList<int>(enc->ids.begin(), enc->ids.end()), ids);
    for (int i = 0; i < enc->size(); ++i)
        if (!enc->special[size_t(i)]) {
            QCOMPARE((QList<int>{enc->offsets[size_t(i)].first, enc->offsets[size_t(i)].second}), firstTextOffset);
            break;
        }
}

// The heap-based merge against BPE's plain definition (tests/common/bpe_reference.h).
void TestTokenizerFixtures::bpeMergesAsTheDefinition_data() {
    QTest::addColumn<QString>("word");
    std::mt19937 rng(7);
    const QString letters = QStringLiteral("aaabbcdeeeehilmnnoorssttuy");
    for (int i = 0; i < 200; ++i) {
        QString w;
        for (int n = 1 + int(rng() % 40); n > 0; --n) w += letters[int(rng() % letters.size())];
        QTest::newRow(qPrintable(w)) << w;
    }
    QTest::newRow("repeats") << QStringLiteral("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    QTest::newRow("pairs") << QStringLiteral("abababababababababababab");
}

void TestTokenizerFixtures::bpeMergesAsTheDefinition() {
    QFETCH(QString, word);
    static const QHash<QString, int> ranks = attnscope::test::loadMergeRanks(sharedFixtures() + QStringLiteral("/gpt2/merges.txt"));
    QVERIFY(!ranks.isEmpty());
    const QStringList symbols = attnscope::test::referenceBpe(word, ranks);
    auto enc = m_gpt2->encode(word);
    QVERIFY(enc);
    QCOMPARE(enc->tokens, symbols);
}

// A 60,000-letter word is tokenized (the speed is measured by bench_tokenizer, not here).
void TestTokenizerFixtures::longWordsAreLinear() {
    const QString word = QStringLiteral("a").repeated(60000);
    auto gpt = m_gpt2->encode(word);
    QVERIFY(gpt);
    QCOMPARE(gpt->tokens.join(QString()), word);
    QCOMPARE(gpt->offsets.back().second, 60000);
}

// Chips: "▁na" and "Ġna" read "na"; a character split into byte pieces (Mistral's byte fallback
// <0xF0><0x9F><0xA6><0x99>, Llama 3's byte-level "ĠðŁ" "¦" "Ļ") reads once, then "⋯"; ids unchanged.
void TestTokenizerFixtures::chipLabels_data() {
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("labels");
    QTest::newRow("mistral: byte fallback") << QStringLiteral("mistral-7b") << QStringLiteral("I 🦙 naïve")
                                            << QStringList{"<s>", "I", "␣", "🦙", "⋯", "⋯", "⋯", "na", "ï", "ve"};
    QTest::newRow("llama3: byte-level pieces") << QStringLiteral("llama3") << QStringLiteral("I 🦙 naïve")
                                               << QStringList{"I", "🦙", "⋯", "⋯", "naï", "ve"};  // this early file adds no BOS
    QTest::newRow("gpt2: whole words") << QStringLiteral("gpt2") << QStringLiteral("The animal didn't")
                                       << QStringList{"The", "animal", "didn", "'t"};
}

void TestTokenizerFixtures::chipLabels() {
    QFETCH(QString, folder);
    QFETCH(QString, text);
    QFETCH(QStringList, labels);
    const Tokenizer* tok = folder == QLatin1String("gpt2") ? m_gpt2.get() : modern(folder);
    auto e = tok->encode(text);
    QVERIFY(e);
    const QStringList actual = tokenLabels(*tok, *e, text);
    QCOMPARE(actual.size(), e->size());
    QCOMPARE(actual, labels);
}

QTEST_APPLESS_MAIN(TestTokenizerFixtures)
#include "tst_tokenizer_fixtures.moc"
