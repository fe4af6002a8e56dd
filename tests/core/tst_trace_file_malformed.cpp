// Trace files that are not what they say: every malformed file is refused with a message saying
// what is wrong, naming the file, before any view reads it; and a vision run's picture comes back.
#include "trace/trace_file.h"
#include "trace_draft.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <functional>

using namespace attnscope::core;
using attnscope::test::Draft;
using attnscope::test::validDraft;

class TestTraceFileMalformed : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void picture();
    void malformed_data();
    void malformed();
};

// A vision run's picture (`image`, U8 [height, width, 3]) comes back byte for byte.
void TestTraceFileMalformed::picture() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("picture.safetensors"));
    Draft d = validDraft();
    d.meta.insert(QStringLiteral("image_grid"), QStringLiteral("1"));
    std::vector<float> rgb;
    for (int i = 0; i < 2 * 3 * 3; ++i) rgb.push_back(float(i * 13 % 256));
    d.add(QStringLiteral("image"), {2, 3, 3}, rgb, DType::U8);
    QVERIFY(d.write(path));
    auto opened = openTraceFile(path);
    QVERIFY2(opened, qPrintable(opened.message()));
    QCOMPARE(opened->picture.height, 2);
    QCOMPARE(opened->picture.width, 3);
    QCOMPARE(opened->picture.rgb, std::vector<uint8_t>(rgb.begin(), rgb.end()));
    QVERIFY(validDraft().write(path));
    QVERIFY(openTraceFile(path)->picture.empty());
}

void TestTraceFileMalformed::malformed_data() {
    using Edit = std::function<void(Draft&)>;
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QString>("message");
    auto meta = [](const char* key, const char* value) {
        return Edit([=](Draft& d) {
            if (value) d.meta.insert(QLatin1String(key), QString::fromUtf8(value));
            else d.meta.remove(QLatin1String(key));
        });
    };
    QTest::newRow("a model checkpoint") << meta("format", nullptr) << "not an AttnScope trace";
    QTest::newRow("another format") << meta("format", "pt") << "'format' is 'pt'";
    QTest::newRow("a newer version") << meta("version", "2") << "newer than this AttnScope reads";
    QTest::newRow("no tokens") << meta("tokens", nullptr) << "'tokens': missing";
    QTest::newRow("tokens not JSON") << meta("tokens", "a b c") << "'tokens': not a JSON array";
    QTest::newRow("a token not a string") << meta("tokens", R"(["a",2,"c"])") << "token 1 is not a string";
    QTest::newRow("no heads") << meta("num_heads", nullptr) << "'num_heads': missing";
    QTest::newRow("heads not a number") << meta("num_heads", "two") << "'two' is not a whole number";
    QTest::newRow("more kv heads than heads") << meta("num_kv_heads", "3") << "from 1 to 2";
    QTest::newRow("causal neither") << meta("causal", "yes") << "'causal': 'yes', not true or false";
    QTest::newRow("offsets past the text") << meta("offsets", "[[0,1],[2,3],[4,9]]") << "pair 2 is not [begin, end]";
    QTest::newRow("offsets too few") << meta("offsets", "[[0,1]]") << "holds 1 pairs for 3 tokens";
    QTest::newRow("a negative scale") << meta("scale", "-1") << "'scale'";
    QTest::newRow("no layers listed") << meta("layers", "[]") << "no layers given";
    QTest::newRow("a layer past the model") << meta("layers", "[0,2]") << "from 0 to 1";
    QTest::newRow("windows for other layers") << meta("windows", "[0]") << "holds 1 values for 2 layers";
    QTest::newRow("a grid too big") << meta("image_grid", "2") << "do not fit in 3 tokens";
    QTest::newRow("fewer tokens than the tensors") << Edit([](Draft& d) {
        d.meta.insert(QStringLiteral("tokens"), QStringLiteral(R"(["a","b"])"));
        d.meta.remove(QStringLiteral("offsets"));
    }) << "lists 2";
    QTest::newRow("a tensor for an unlisted layer") << meta("layers", "[0]") << ".1' is for layer 1, which the metadata's 'layers' does not list";
    QTest::newRow("a layer without attention")
        << Edit([](Draft& d) { d.remove(QStringLiteral("attentions.1")); }) << "has neither attentions.1 nor both q.1 and k.1";
    QTest::newRow("layers that differ") << Edit([](Draft& d) { d.remove(QStringLiteral("v.1")); }) << "every layer of a trace holds the same tensors";
    QTest::newRow("a shape that disagrees")
        << Edit([](Draft& d) { d.shapes[size_t(d.find(QStringLiteral("v.0")))] = {2, 4, 3}; }) << "'v.0' is [2, 4, 3], not [2, 3, 4]";
    QTest::newRow("a NaN weight") << Edit([](Draft& d) { d.values[0][4] = NAN; }) << "row 1 holds nan";
    QTest::newRow("a row that does not sum to 1") << Edit([](Draft& d) { d.values[0][3] = 0.2f; }) << "row 1 sums to 0.7, not 1";
    QTest::newRow("a negative weight") << Edit([](Draft& d) { d.values[0][3] = -0.5f; d.values[0][4] = 1.5f; }) << "not negative";
    QTest::newRow("a later token in a causal model")
        << Edit([](Draft& d) { d.values[0][0] = 0.5f; d.values[0][1] = 0.5f; }) << "gives 0.5 to the later token 1";
    QTest::newRow("a NaN in v") << Edit([](Draft& d) { d.values[1][5] = INFINITY; }) << "v.0, key/value head 0, holds a value that is not a finite";
    QTest::newRow("q and k that disagree with the matrices") << Edit([](Draft& d) {
        for (int l = 0; l < 2; ++l) {
            std::vector<float> q(24), k(24);
            for (int i = 0; i < 24; ++i) q[size_t(i)] = k[size_t(i)] = float((i * 7) % 5) - 2.0f;
            d.add(QStringLiteral("q.%1").arg(l), {2, 3, 4}, q);
            d.add(QStringLiteral("k.%1").arg(l), {2, 3, 4}, k);
        }
    }) << "differ from attentions.0";
    QTest::newRow("some hidden states") << Edit([](Draft& d) { d.add(QStringLiteral("hidden_states.0"), {3, 8}, std::vector<float>(24, 0.0f)); })
                                        << "hidden_states.0 but not hidden_states.1";
    QTest::newRow("a picture without a grid") << Edit([](Draft& d) { d.add(QStringLiteral("image"), {2, 2, 3}, std::vector<float>(12, 7.0f), DType::U8); })
                                              << "'image' needs the metadata's 'image_grid'";
    QTest::newRow("a picture of floats") << Edit([](Draft& d) {
        d.meta.insert(QStringLiteral("image_grid"), QStringLiteral("1"));
        d.add(QStringLiteral("image"), {2, 2, 3}, std::vector<float>(12, 7.0f));
    }) << "'image' is F32 [2, 2, 3], not U8 [height, width, 3]";
    QTest::newRow("a picture of four channels") << Edit([](Draft& d) {
        d.meta.insert(QStringLiteral("image_grid"), QStringLiteral("1"));
        d.add(QStringLiteral("image"), {2, 2, 4}, std::vector<float>(16, 7.0f), DType::U8);
    }) << "not U8 [height, width, 3]";
    QTest::newRow("a hidden state past the model")
        << Edit([](Draft& d) { d.add(QStringLiteral("hidden_states.3"), {3, 8}, std::vector<float>(24, 0.0f)); }) << "hidden states 0 to 2";
}

void TestTraceFileMalformed::malformed() {
    using Edit = std::function<void(Draft&)>;
    QFETCH(Edit, edit);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.safetensors"));
    Draft valid = validDraft();
    QVERIFY(valid.write(path));
    auto good = openTraceFile(path);
    QVERIFY2(good, qPrintable(good.message()));
    Draft d = validDraft();
    edit(d);
    QVERIFY(d.write(path));
    auto opened = openTraceFile(path);
    QVERIFY(!opened);
    QVERIFY2(opened.message().contains(message), qPrintable(opened.message()));
    QVERIFY2(opened.message().startsWith(QStringLiteral("bad.safetensors: ")), qPrintable(opened.message()));
}

QTEST_GUILESS_MAIN(TestTraceFileMalformed)
#include "tst_trace_file_malformed.moc"
