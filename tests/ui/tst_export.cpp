// Exports parsed back: PNG size from the DPI, SVG is XML with the token labels as text, PDF has a page.
#include "export/figure_export.h"
#include "export/view_export.h"
#include "render/view_specs.h"
#include "session/analysis_session.h"
#include "test_paths.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QGuiApplication>
#include <QImageReader>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <cstring>

using namespace attnscope::ui;

class TestExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pngSizeFollowsDpi_data();
    void pngSizeFollowsDpi();
    void svgKeepsTokensAsText_data();
    void svgKeepsTokensAsText();
    void pdfHasAPage();
    void failureLeavesNoFile();
    void selectedHeadData_data();
    void selectedHeadData();
    void wholeTraceJson();
    void everyHeadIntoAFolder();

private:
    void paint(QPainter& p, const QRectF& r, const QString& view, bool vector);

    QTemporaryDir m_dir;
    AnalysisResultPtr m_result;
    ViewState m_state;
};

void TestExport::initTestCase() {
    auto model = attnscope::core::loadModelFolder(attnscope::test::modelFixture(QStringLiteral("bert")));
    QVERIFY2(model, qPrintable(model.message()));
    auto result = runAnalysis(*model, QStringLiteral("The [MASK] didn't cross the road because it was playing."), false);
    QVERIFY2(result, qPrintable(result.message()));
    m_result = *result;
    m_state.setLimits(2, 4, m_result->encoding.size());
}

void TestExport::paint(QPainter& p, const QRectF& r, const QString& view, bool vector) {
    FigureStyle style;
    style.font = QFont(QStringLiteral("DejaVu Sans"), 10);
    style.vector = vector;
    AttentionMatrix m;
    if (view == QLatin1String("heatmap")) paintHeatmap(p, r, heatmapSpec(*m_result, m_state, style, m));
    else if (view == QLatin1String("links")) paintLinks(p, r, linksSpec(*m_result, m_state, style, m));
    else paintGrid(p, r, gridSpec(*m_result, m_state, style));
}

void TestExport::pngSizeFollowsDpi_data() {
    QTest::addColumn<int>("dpi");
    QTest::addColumn<QSize>("pixels");
    QTest::newRow("72 dpi") << 72 << QSize(400, 300);
    QTest::newRow("144 dpi") << 144 << QSize(800, 600);
    QTest::newRow("300 dpi") << 300 << QSize(1667, 1250);
}

void TestExport::pngSizeFollowsDpi() {
    QFETCH(int, dpi);
    QFETCH(QSize, pixels);
    const QString path = m_dir.filePath(QStringLiteral("h.png"));
    FigureOptions o;
    o.size = QSizeF(400, 300);
    o.dpi = dpi;
    QVERIFY(exportFigure(path, FigureFormat::Png, o, [&](QPainter& p, const QRectF& r) { paint(p, r, "heatmap", false); }).ok());
    QImageReader reader(path);
    QCOMPARE(reader.size(), pixels);
    const QImage image = reader.read();
    QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), dpi);
}

void TestExport::svgKeepsTokensAsText_data() {
    QTest::addColumn<QString>("view");
    QTest::newRow("heatmap") << "heatmap";
    QTest::newRow("links") << "links";
}

void TestExport::svgKeepsTokensAsText() {
    QFETCH(QString, view);
    const QString path = m_dir.filePath(view + QStringLiteral(".svg"));
    FigureOptions o;
    o.size = QSizeF(600, 500);
    QVERIFY(exportFigure(path, FigureFormat::Svg, o, [&](QPainter& p, const QRectF& r) { paint(p, r, view, true); }).ok());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    QStringList texts;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    for (const char* token : {"road", "because", "[MASK]", "##ing"}) QVERIFY2(texts.contains(QLatin1String(token)), token);
}

void TestExport::pdfHasAPage() {
    const QString path = m_dir.filePath(QStringLiteral("g.pdf"));
    FigureOptions o;
    o.size = QSizeF(500, 300);
    QVERIFY(exportFigure(path, FigureFormat::Pdf, o, [&](QPainter& p, const QRectF& r) { paint(p, r, "grid", true); }).ok());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray pdf = f.readAll();
    QVERIFY(pdf.startsWith("%PDF"));
    QVERIFY(pdf.contains("/Type /Page"));
    QVERIFY(pdf.contains("/MediaBox [0 0 500.000000 300.000000]"));  // the page is the figure, in points
}

void TestExport::failureLeavesNoFile() {
    const QString path = m_dir.filePath(QStringLiteral("missing-folder/x.png"));
    FigureOptions o;
    QVERIFY(!exportFigure(path, FigureFormat::Png, o, [&](QPainter& p, const QRectF& r) { paint(p, r, "heatmap", false); }).ok());
    QVERIFY(!QFile::exists(path));
    o.dpi = 5000;
    const QString big = m_dir.filePath(QStringLiteral("big.png"));
    QVERIFY(!exportFigure(big, FigureFormat::Png, o, [](QPainter&, const QRectF&) {}).ok());
    QVERIFY(!QFile::exists(big));
}

void TestExport::selectedHeadData_data() {
    QTest::addColumn<QString>("extension");
    QTest::addColumn<int>("mode");
    for (const char* ext : {"csv", "npy", "json"}) {
        QTest::newRow(qPrintable(QStringLiteral("%1 one head").arg(ext))) << ext << int(HeadMode::Single);
        QTest::newRow(qPrintable(QStringLiteral("%1 mean").arg(ext))) << ext << int(HeadMode::Average);
    }
}

void TestExport::selectedHeadData() {
    QFETCH(QString, extension);
    QFETCH(int, mode);
    ViewState st;
    st.setLimits(2, 4, m_result->encoding.size());
    st.setLayer(1);
    st.setHead(2);
    st.setHeadMode(HeadMode(mode));
    const QString path = m_dir.filePath(QStringLiteral("head.") + extension);
    QVERIFY(exportSelectionData(path, *m_result, st).ok());
    const int n = m_result->trace->tokens();
    const AttentionMatrix m = selectMatrix(*m_result->trace, 1, HeadMode(mode), 2);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    if (extension == "csv") {
        const QList<QByteArray> lines = bytes.trimmed().split('\n');
        QCOMPARE(lines.size(), n + 1);
        QVERIFY(lines[0].startsWith("query \\ key,[CLS],the,[MASK]"));
        const QList<QByteArray> row3 = lines[4].split(',');
        QCOMPARE(row3[0], QByteArray("didn"));
        QCOMPARE(row3[5].toFloat(), m.data[3 * n + 4]);
    } else if (extension == "npy") {
        QVERIFY(bytes.contains(QStringLiteral("'shape': (%1, %1)").arg(n).toLatin1()));
        float last;
        std::memcpy(&last, bytes.constData() + bytes.size() - 4, 4);
        QCOMPARE(last, m.data[n * n - 1]);
    } else {
        const QJsonObject o = QJsonDocument::fromJson(bytes).object();
        QCOMPARE(o.value("layer").toInt(), 1);
        QCOMPARE(o.value("attention").toArray().size(), n);
        QCOMPARE(float(o.value("attention").toArray()[2].toArray()[1].toDouble()), m.data[2 * n + 1]);
        if (mode == int(HeadMode::Average)) QCOMPARE(o.value("head").toString(), QStringLiteral("mean"));
        else QCOMPARE(o.value("head").toInt(), 2);
    }
}

void TestExport::wholeTraceJson() {
    const QString path = m_dir.filePath(QStringLiteral("trace.json"));
    QVERIFY(exportTraceData(path, *m_result, QStringLiteral("bert")).ok());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    for (const char* key : {"attentions", "scores", "q", "k", "v", "hidden_states", "tokens", "offsets"}) QVERIFY2(o.contains(key), key);
    QVERIFY(!exportTraceData(m_dir.filePath(QStringLiteral("trace.csv")), *m_result, QStringLiteral("bert")).ok());
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("trace.csv"))));
}

void TestExport::everyHeadIntoAFolder() {
    const QString folder = m_dir.filePath(QStringLiteral("heads"));
    FigureStyle style;
    style.font = QFont(QStringLiteral("DejaVu Sans"), 9);
    int calls = 0;
    auto written = exportAllHeads(folder, QStringLiteral("heatmap"), QStringLiteral("svg"), *m_result, m_state, style, 72,
                                  [&](int, int total) { ++calls; return total == 8; });
    QVERIFY2(written, qPrintable(written.message()));
    QCOMPARE(*written, 8);
    QVERIFY(calls >= 8);
    QCOMPARE(QDir(folder).entryList(QDir::Files).size(), 8);
    QVERIFY(QFile::exists(QDir(folder).filePath(QStringLiteral("layer1_head3.svg"))));
    auto stopped = exportAllHeads(m_dir.filePath(QStringLiteral("stopped")), QStringLiteral("links"), QStringLiteral("png"), *m_result,
                                  m_state, style, 72, [](int done, int) { return done < 3; });
    QCOMPARE(*stopped, 3);
}

QTEST_MAIN(TestExport)
#include "tst_export.moc"
