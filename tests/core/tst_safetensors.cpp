// The safetensors reader: every check of the reference reader, before any data is touched.
#include "io/checkpoint.h"
#include "io/half_float.h"
#include "io/safetensors_file.h"
#include "safetensors_writer.h"

#include <QTemporaryDir>
#include <QTest>

using namespace attnscope::core;
using attnscope::test::rawSafetensors;
using attnscope::test::writeFile;

class TestSafetensors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsValidFile();
    void rejectsBadFiles_data();
    void rejectsBadFiles();
    void widensHalfPrecision_data();
    void widensHalfPrecision();
    void checkpointReportsShapes();
    void rejectsBadShardNames_data();
    void rejectsBadShardNames();
    void readsShardedCheckpoint();

private:
    QTemporaryDir m_dir;
};

void TestSafetensors::readsValidFile() {
    const QString path = m_dir.filePath(QStringLiteral("ok.safetensors"));
    QVERIFY(writeFile(path, attnscope::test::buildSafetensors(
                                {{QStringLiteral("a"), QStringLiteral("F32"), {2, 3}, {1, 2, 3, 4, 5, 6}},
                                 {QStringLiteral("b"), QStringLiteral("F16"), {3}, {}}})));
    auto file = SafetensorsFile::open(path);
    QVERIFY2(file, qPrintable(file.message()));
    QCOMPARE(int((*file)->tensors().size()), 2);
    const TensorInfo* a = (*file)->find(QStringLiteral("a"));
    QVERIFY(a);
    QCOMPARE(a->shape, (Shape{2, 3}));
    QCOMPARE(a->dtype, DType::F32);
    float v[6];
    std::memcpy(v, (*file)->bytes(*a), sizeof v);
    QCOMPARE(v[5], 6.0f);
}

void TestSafetensors::rejectsBadFiles_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");  // part of the message
    const QByteArray f32x2 = QByteArray(8, '\0');
    auto one = [](const char* entry) { return QByteArray("{") + entry + "}"; };

    QTest::newRow("truncated: 5 bytes") << QByteArray("abcde") << "too small";
    QTest::newRow("empty file") << QByteArray() << "too small";
    QTest::newRow("header beyond file") << rawSafetensors("{}", QByteArray(), 4096) << "beyond the end of the file";
    QTest::newRow("header over 100 MB") << rawSafetensors("{}", QByteArray(), 200'000'000) << "exceeds the limit";
    QTest::newRow("header not JSON") << rawSafetensors("{not json}", QByteArray()) << "not valid JSON";
    QTest::newRow("header not object") << rawSafetensors("[1, 2]", QByteArray()) << "does not start with '{'";
    QTest::newRow("header not UTF-8") << rawSafetensors("{\"\xff\xfe\":1}", QByteArray()) << "not valid UTF-8";
    QTest::newRow("unknown dtype")
        << rawSafetensors(one("\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}"), QByteArray(2, 0))
        << "unknown dtype 'F8_E4M3'";
    QTest::newRow("offsets not matching shape x dtype")
        << rawSafetensors(one("\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}"), f32x2)
        << "needs 12 bytes";
    QTest::newRow("offsets overlapping")
        << rawSafetensors(one("\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                              "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}"),
                          f32x2)
        << "overlap";
    QTest::newRow("offsets not contiguous")
        << rawSafetensors(one("\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}"), f32x2)
        << "not contiguous";
    QTest::newRow("offsets out of range")
        << rawSafetensors(one("\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}"), f32x2)
        << "beyond the data buffer";
    QTest::newRow("buffer longer than tensors")
        << rawSafetensors(one("\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}"), f32x2)
        << "account for 4";
    QTest::newRow("shape product overflow")
        << rawSafetensors(one("\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}"), f32x2)
        << "overflows";
    QTest::newRow("negative dimension")
        << rawSafetensors(one("\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}"), f32x2)
        << "non-negative integer";
    QTest::newRow("duplicate names")
        << rawSafetensors(one("\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                              "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}"),
                          f32x2)
        << "duplicate tensor name 'a'";
    QTest::newRow("metadata not strings")
        << rawSafetensors(one("\"__metadata__\":{\"x\":1}"), QByteArray()) << "not a string";
}

void TestSafetensors::rejectsBadFiles() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QString path = m_dir.filePath(QStringLiteral("bad.safetensors"));
    QVERIFY(writeFile(path, bytes));
    auto file = SafetensorsFile::open(path);
    QVERIFY(!file);
    QVERIFY2(file.message().contains(expected), qPrintable(file.message()));
    QVERIFY2(file.message().startsWith(QStringLiteral("bad.safetensors: ")), qPrintable(file.message()));
}

void TestSafetensors::widensHalfPrecision_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<float>("value");
    QTest::newRow("one") << 0x3C00 << 1.0f;
    QTest::newRow("minus two") << 0xC000 << -2.0f;
    QTest::newRow("one third") << 0x3555 << 0.333251953125f;
    QTest::newRow("smallest subnormal") << 0x0001 << 5.9604644775390625e-08f;
    QTest::newRow("largest subnormal") << 0x03FF << 6.097555160522461e-05f;
    QTest::newRow("largest half") << 0x7BFF << 65504.0f;
    QTest::newRow("minus zero") << 0x8000 << -0.0f;
}

void TestSafetensors::widensHalfPrecision() {
    QFETCH(int, bits);
    QFETCH(float, value);
    QCOMPARE(halfToFloat(uint16_t(bits)), value);
    QCOMPARE(bf16ToFloat(0x3F80), 1.0f);
    QCOMPARE(bf16ToFloat(0xC000), -2.0f);
    QVERIFY(std::isinf(halfToFloat(0x7C00)));
    QVERIFY(std::isnan(halfToFloat(0x7E00)));
}

void TestSafetensors::checkpointReportsShapes() {
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("model.safetensors")),
                      attnscope::test::buildSafetensors({{QStringLiteral("w"), QStringLiteral("F32"), {2, 2}, {1, 2, 3, 4}}})));
    auto ckpt = Checkpoint::open(dir.path());
    QVERIFY2(ckpt, qPrintable(ckpt.message()));
    auto ok = (*ckpt)->get(QStringLiteral("w"), {2, 2});
    QVERIFY(ok);
    QCOMPARE(ok->data[3], 4.0f);
    auto wrong = (*ckpt)->get(QStringLiteral("w"), {4});
    QVERIFY(!wrong);
    QCOMPARE(wrong.message(), QStringLiteral("tensor 'w': expected shape [4], found [2, 2]"));
    auto missing = (*ckpt)->get(QStringLiteral("v"), {3});
    QCOMPARE(missing.message(), QStringLiteral("missing tensor 'v' (expected shape [3])"));
}

void TestSafetensors::rejectsBadShardNames_data() {
    QTest::addColumn<QString>("shard");
    QTest::newRow("parent directory") << "../model.safetensors";
    QTest::newRow("subfolder") << "sub/model.safetensors";
    QTest::newRow("absolute") << "/etc/passwd";
    QTest::newRow("backslash") << "a\\b.safetensors";
}

void TestSafetensors::rejectsBadShardNames() {
    QFETCH(QString, shard);
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("model.safetensors.index.json")),
                      QStringLiteral("{\"weight_map\": {\"w\": \"%1\"}}").arg(QString(shard).replace(QLatin1String("\\"), QLatin1String("\\\\"))).toUtf8()));
    auto ckpt = Checkpoint::open(dir.path());
    QVERIFY(!ckpt);
    QVERIFY2(ckpt.message().contains(QStringLiteral("not a plain file name")), qPrintable(ckpt.message()));
}

void TestSafetensors::readsShardedCheckpoint() {
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("a.safetensors")),
                      attnscope::test::buildSafetensors({{QStringLiteral("x"), QStringLiteral("F32"), {1}, {7}}})));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("b.safetensors")),
                      attnscope::test::buildSafetensors({{QStringLiteral("y"), QStringLiteral("F32"), {1}, {8}}})));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("model.safetensors.index.json")),
                      "{\"metadata\": {}, \"weight_map\": {\"x\": \"a.safetensors\", \"y\": \"b.safetensors\"}}"));
    auto ckpt = Checkpoint::open(dir.path());
    QVERIFY2(ckpt, qPrintable(ckpt.message()));
    QCOMPARE((*ckpt)->get(QStringLiteral("y"), {1})->data[0], 8.0f);
    QCOMPARE((*ckpt)->get(QStringLiteral("x"), {1})->data[0], 7.0f);
}

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
