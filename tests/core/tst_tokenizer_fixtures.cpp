// The real bert-base-uncased and GPT-2 vocabularies against ids from independent implementations
// (../shared/fixtures/tokenizer-cases). Skipped with a message when ../shared is absent.
#include "test_paths.h"
#include "tokenize/tokenizer_loader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

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
    void offsetsPointIntoTheText();

private:
    void addCases(const QString& file);
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

QTEST_APPLESS_MAIN(TestTokenizerFixtures)
#include "tst_tokenizer_fixtures.moc"
