// Bad model folders and inputs: a clear message naming what is wrong, never a crash.
#include "model/text_analysis.h"
#include "test_paths.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace attnscope::core;
using attnscope::test::copyFolder;
using attnscope::test::modelFixture;

class TestModelErrors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void badConfig_data();
    void badConfig();
    void missingFiles_data();
    void missingFiles();
    void truncatedCheckpoint();
    void tooLongText();
    void emptyText();
};

void TestModelErrors::badConfig_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");  // Undefined: remove the key
    QTest::addColumn<QString>("message");
    QTest::newRow("missing key") << "hidden_size" << QJsonValue(QJsonValue::Undefined) << "config.json: missing key 'hidden_size'";
    QTest::newRow("wrong type") << "num_attention_heads" << QJsonValue("4")
                                << "config.json: 'num_attention_heads' should be a non-negative integer, found a string";
    QTest::newRow("unsupported model_type") << "model_type" << QJsonValue("mamba")
                                            << "model_type 'mamba' is not supported (supported: bert, roberta, distilbert, gpt2, vit, llama, mistral, qwen2, qwen3, gemma3_text)";
    QTest::newRow("wrong shape") << "intermediate_size" << QJsonValue(48)
                                 << "tensor 'encoder.layer.0.intermediate.dense.weight': expected shape [48, 32], found [64, 32]";
    QTest::newRow("missing tensor") << "num_hidden_layers" << QJsonValue(3)
                                    << "missing tensor 'encoder.layer.2.attention.self.query.weight' (expected shape [32, 32])";
    QTest::newRow("unsupported activation") << "hidden_act" << QJsonValue("relu2")
                                            << "config.json: hidden_act 'relu2' is not supported (gelu, gelu_new";
    QTest::newRow("heads do not divide") << "num_attention_heads" << QJsonValue(5) << "not divisible by 5 heads";
}

void TestModelErrors::badConfig() {
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QVERIFY(attnscope::test::copyWithJsonKeys(modelFixture(QStringLiteral("bert-gamma-beta")), dir.path(), QStringLiteral("config.json"),
                                              QJsonObject{{key, value.isUndefined() ? QJsonValue(QJsonValue::Null) : value}}));
    auto loaded = loadModelFolder(dir.path());
    QVERIFY(!loaded);
    QVERIFY2(loaded.message().contains(message), qPrintable(loaded.message()));
}

void TestModelErrors::missingFiles_data() {
    QTest::addColumn<QStringList>("remove");
    QTest::addColumn<QString>("message");
    QTest::newRow("no vocabulary") << QStringList{"vocab.txt", "tokenizer_config.json"} << "missing vocabulary";
    QTest::newRow("no weights") << QStringList{"model.safetensors"} << "no model.safetensors or model.safetensors.index.json";
    QTest::newRow("no config") << QStringList{"config.json"} << "no config.json";
}

void TestModelErrors::missingFiles() {
    QFETCH(QStringList, remove);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QVERIFY(copyFolder(modelFixture(QStringLiteral("bert")), dir.path()));
    for (const QString& f : remove) QVERIFY(QFile::remove(dir.filePath(f)));
    auto loaded = loadModelFolder(dir.path());
    QVERIFY(!loaded);
    QVERIFY2(loaded.message().contains(message), qPrintable(loaded.message()));
}

void TestModelErrors::truncatedCheckpoint() {
    QTemporaryDir dir;
    QVERIFY(copyFolder(modelFixture(QStringLiteral("bert")), dir.path()));
    QFile f(dir.filePath(QStringLiteral("model.safetensors")));
    QVERIFY(f.resize(f.size() / 2));
    auto loaded = loadModelFolder(dir.path());
    QVERIFY(!loaded);
    QVERIFY2(loaded.message().contains(QStringLiteral("truncated")), qPrintable(loaded.message()));
}

void TestModelErrors::tooLongText() {
    auto loaded = loadModelFolder(modelFixture(QStringLiteral("bert")));
    QVERIFY(loaded);
    const QString text = QStringLiteral("the cat sat . ").repeated(30);  // 120 words + template > 64 positions
    auto failed = analyzeText(*loaded, text, {});
    QVERIFY(!failed);
    QVERIFY2(failed.message().contains(QStringLiteral("accepts at most 64")), qPrintable(failed.message()));
    AnalysisOptions truncate;
    truncate.truncate = true;
    auto cut = analyzeText(*loaded, text, truncate);
    QVERIFY2(cut, qPrintable(cut.message()));
    QVERIFY(cut->truncated);
    QCOMPARE(cut->encoding.size(), 64);
    QCOMPARE(cut->encoding.tokens.last(), QStringLiteral("[SEP]"));
    QCOMPARE(cut->trace->tokens(), 64);
}

void TestModelErrors::emptyText() {
    auto loaded = loadModelFolder(modelFixture(QStringLiteral("gpt2")));
    QVERIFY(loaded);
    auto a = analyzeText(*loaded, QString(), {});
    QVERIFY(!a);
    QCOMPARE(a.message(), QStringLiteral("the text is empty"));
    // White space alone is text, as in transformers (GPT-2 reads " " as one token, id 220).
    auto spaces = analyzeText(*loaded, QStringLiteral("   "), {});
    QVERIFY2(spaces, qPrintable(spaces.message()));
    QVERIFY(spaces->encoding.size() >= 1);
    QVERIFY(spaces->trace);
}

QTEST_APPLESS_MAIN(TestModelErrors)
#include "tst_model_errors.moc"
