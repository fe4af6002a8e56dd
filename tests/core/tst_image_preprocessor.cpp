// Image preprocessing against PIL's own resize (what Hugging Face image processors give a ViT).
#include "model/image_preprocessor.h"
#include "test_paths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace attnscope::core;

namespace {

ImageTensor fromJson(const QJsonArray& chans) {
    ImageTensor t;
    t.height = chans[0].toArray().size();
    t.width = chans[0].toArray()[0].toArray().size();
    for (const QJsonValue& c : chans)
        for (const QJsonValue& row : c.toArray())
            for (const QJsonValue& v : row.toArray()) t.data.push_back(float(v.toDouble()));
    return t;
}

QJsonObject fixture() {
    QFile f(QStringLiteral(ATTNSCOPE_FIXTURES "/images/pil-resize.json"));
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

}  // namespace

class TestImagePreprocessor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesPil_data();
    void matchesPil();
    void rescalesAndNormalises();
};

void TestImagePreprocessor::matchesPil_data() {
    QTest::addColumn<QString>("name");
    const QJsonObject cases = fixture().value(QStringLiteral("cases")).toObject();
    for (auto it = cases.begin(); it != cases.end(); ++it) QTest::newRow(qPrintable(it.key())) << it.key();
}

void TestImagePreprocessor::matchesPil() {
    QFETCH(QString, name);
    const QJsonObject all = fixture();
    const ImageTensor src = fromJson(all.value(QStringLiteral("source")).toArray());
    const QJsonObject c = all.value(QStringLiteral("cases")).toObject().value(name).toObject();
    const ImageTensor expected = fromJson(c.value(QStringLiteral("pixels")).toArray());
    const ImageTensor got = resizeLikePil(src, c.value(QStringLiteral("width")).toInt(), c.value(QStringLiteral("height")).toInt(),
                                          c.value(QStringLiteral("resample")).toInt());
    QCOMPARE(got.width, expected.width);
    QCOMPARE(got.height, expected.height);
    int worst = 0;
    for (size_t i = 0; i < got.data.size(); ++i) worst = std::max(worst, int(std::abs(got.data[i] - expected.data[i])));
    QVERIFY2(worst == 0, qPrintable(QStringLiteral("largest difference %1 levels").arg(worst)));  // same fixed-point rounding as PIL
}

void TestImagePreprocessor::rescalesAndNormalises() {
    ImageTensor white{3, 4, 4, std::vector<float>(48, 255.0f)};
    PreprocessorConfig c;
    c.doResize = false;
    const ImageTensor out = preprocessImage(white, c);
    QCOMPARE(out.at(0, 0, 0), 1.0f);  // (1 - 0.5) / 0.5
    c.mean[1] = 0.456f;
    c.std[1] = 0.224f;
    QVERIFY(std::abs(preprocessImage(white, c).at(1, 2, 2) - (1.0f - 0.456f) / 0.224f) < 1e-5);
}

QTEST_APPLESS_MAIN(TestImagePreprocessor)
#include "tst_image_preprocessor.moc"
