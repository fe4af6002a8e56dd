// Painters rendered into fixed-size images at device pixel ratio 1, and their layout maths.
#include "render/colormap.h"
#include "render/curve_painter.h"
#include "render/heatmap_painter.h"
#include "render/line_rasterizer.h"
#include "render/links_painter.h"
#include "widgets/token_bar.h"

#include <QGuiApplication>
#include <QImage>
#include <QPainter>

#include <cmath>
#include <limits>
#include <QTest>

using namespace attnscope::ui;

namespace {

// A 3 x 3 attention matrix whose rows sum to 1.
const float kMatrix[9] = {1.0f, 0.0f, 0.0f, 0.25f, 0.75f, 0.0f, 0.1f, 0.3f, 0.6f};

HeatmapSpec spec3(bool causal = false) {
    HeatmapSpec s;
    s.values = kMatrix;
    s.n = 3;
    s.labels = {"the", "cat", "sat"};
    s.causal = causal;
    s.font = QFont(QStringLiteral("DejaVu Sans"), 9);
    return s;
}

bool near(QRgb a, QRgb b, int tolerance = 2) {
    return std::abs(qRed(a) - qRed(b)) <= tolerance && std::abs(qGreen(a) - qGreen(b)) <= tolerance &&
           std::abs(qBlue(a) - qBlue(b)) <= tolerance;
}

// Ink of an image drawn on white: total darkness and its centroid.
struct Ink {
    double total = 0, x = 0, y = 0;
};
Ink inkOf(const QImage& image) {
    Ink ink;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const double v = 255.0 - qGray(image.pixel(x, y));
            ink.total += v, ink.x += v * x, ink.y += v * y;
        }
    if (ink.total > 0) ink.x /= ink.total, ink.y /= ink.total;
    return ink;
}

}  // namespace

class TestPainters : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void colormapEnds_data();
    void colormapEnds();
    void heatmapCells_data();
    void heatmapCells();
    void heatmapCellAt_data();
    void heatmapCellAt();
    void heatmapLabelsThinOut();
    void linksTokenAt();
    void linksWidthFollowsWeight_data();
    void linksWidthFollowsWeight();
    void linksColumnsAreHeaded();
    void chipsWrap();
    void niceTicks_data();
    void niceTicks();
    void rasterLinesMatchQPainter_data();
    void rasterLinesMatchQPainter();
    void rasterLinesOutsideAreClipped();
};

void TestPainters::colormapEnds_data() {
    QTest::addColumn<int>("map");
    QTest::addColumn<QRgb>("low");
    QTest::addColumn<QRgb>("high");
    QTest::newRow("viridis") << int(ColormapId::Viridis) << qRgb(68, 1, 84) << qRgb(253, 231, 37);
    QTest::newRow("magma") << int(ColormapId::Magma) << qRgb(0, 0, 4) << qRgb(252, 253, 191);
    QTest::newRow("greys") << int(ColormapId::Greys) << qRgb(255, 255, 255) << qRgb(0, 0, 0);
}

void TestPainters::colormapEnds() {
    QFETCH(int, map);
    QFETCH(QRgb, low);
    QFETCH(QRgb, high);
    const Colormap c{ColormapId(map)};
    QVERIFY(near(c.rgb(0), low));
    QVERIFY(near(c.rgb(1), high));
    QVERIFY(near(c.rgb(-3), low));  // clamped
    QVERIFY(near(c.rgb(std::nanf("")), low));
}

void TestPainters::heatmapCells_data() {
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("col");
    QTest::addColumn<bool>("causal");
    QTest::addColumn<bool>("vector");
    QTest::addColumn<bool>("window");  // a 2-token sliding window (cell 2,0 masked too) and the first key hidden
    for (bool vector : {false, true})
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c)
                QTest::newRow(qPrintable(QStringLiteral("%1,%2 %3").arg(r).arg(c).arg(vector ? "rects" : "image")))
                    << r << c << vector << vector << false;  // the rectangle rows draw a causal (decoder) matrix
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            QTest::newRow(qPrintable(QStringLiteral("%1,%2 window").arg(r).arg(c))) << r << c << true << false << true;
}

void TestPainters::heatmapCells() {
    QFETCH(int, row);
    QFETCH(int, col);
    QFETCH(bool, causal);
    QFETCH(bool, vector);
    QFETCH(bool, window);
    QImage image(400, 360, QImage::Format_RGB32);
    image.setDevicePixelRatio(1);
    image.fill(Qt::white);
    HeatmapSpec s = spec3(causal);
    s.vectorCells = vector;
    if (window) {  // window 2: row 2 cannot see key 0
        s.window = 2;
        s.hiddenFirstKey = true;
    }
    const QRectF rect(0, 0, 400, 360);
    {
        QPainter p(&image);
        paintHeatmap(p, rect, s);
    }
    const HeatmapLayout l = heatmapLayout(rect, s);
    const QPoint centre((l.matrix.left() + (col + 0.5) * l.cell), (l.matrix.top() + (row + 0.5) * l.cell));
    const bool masked = (causal && col > row) || (window && (col <= row - 2 || col == 0));
    const QRgb expected = masked ? qRgb(226, 226, 226) : s.colormap.rgb(kMatrix[row * 3 + col]);
    const QRgb actual = image.pixel(centre);
    if (!near(actual, expected)) image.save(QStringLiteral("tst_painters_heatmap_actual.png"));
    QVERIFY2(near(actual, expected), qPrintable(QStringLiteral("pixel %1 expected %2").arg(actual, 0, 16).arg(expected, 0, 16)));
}

void TestPainters::heatmapCellAt_data() {
    QTest::addColumn<QPointF>("fraction");  // within the matrix, 0..1
    QTest::addColumn<QPoint>("cell");       // (column, row)
    QTest::newRow("top-left") << QPointF(0.01, 0.01) << QPoint(0, 0);
    QTest::newRow("bottom-right") << QPointF(0.99, 0.99) << QPoint(2, 2);
    QTest::newRow("row 1, column 2") << QPointF(0.9, 0.5) << QPoint(2, 1);
}

void TestPainters::heatmapCellAt() {
    QFETCH(QPointF, fraction);
    QFETCH(QPoint, cell);
    const HeatmapLayout l = heatmapLayout(QRectF(0, 0, 400, 360), spec3());
    const QPointF p(l.matrix.left() + fraction.x() * l.matrix.width(), l.matrix.top() + fraction.y() * l.matrix.height());
    QCOMPARE(attnscope::ui::heatmapCellAt(l, 3, p).value(), cell);
    QVERIFY(!attnscope::ui::heatmapCellAt(l, 3, l.matrix.topLeft() - QPointF(5, 5)).has_value());
}

void TestPainters::heatmapLabelsThinOut() {
    HeatmapSpec s = spec3();
    s.n = 128;
    s.labels = QStringList(128, QStringLiteral("tok"));
    const HeatmapLayout small = heatmapLayout(QRectF(0, 0, 400, 400), s);
    QVERIFY(small.labelStep > 1);
    const HeatmapLayout large = heatmapLayout(QRectF(0, 0, 4000, 4000), s);
    QCOMPARE(large.labelStep, 1);
}

void TestPainters::linksTokenAt() {
    LinksSpec s;
    s.n = 4;
    s.labels = {"a", "b", "c", "d"};
    s.font = QFont(QStringLiteral("DejaVu Sans"), 9);
    const LinksLayout l = linksLayout(QRectF(0, 0, 500, 300), s);
    const auto left = attnscope::ui::linksTokenAt(l, 4, QPointF(l.left.center().x(), l.top + 2.5 * l.rowHeight));
    QVERIFY(left);
    QCOMPARE(int(left->side), int(LinkSide::Query));
    QCOMPARE(left->token, 2);
    const auto right = attnscope::ui::linksTokenAt(l, 4, QPointF(l.right.center().x(), l.top + 0.5 * l.rowHeight));
    QCOMPARE(int(right->side), int(LinkSide::Key));
    QCOMPARE(right->token, 0);
    QVERIFY(!attnscope::ui::linksTokenAt(l, 4, QPointF(250, l.top + 1)).has_value());  // between the columns
}

namespace {
// Four tokens, one head: a -> d at 0.97 (the rest of a's row spread), every other row uniform.
LinksSpec fourTokenLinks(std::vector<float>& matrix) {
    matrix.assign(16, 0.25f);
    matrix[0] = 0.01f, matrix[1] = 0.01f, matrix[2] = 0.01f, matrix[3] = 0.97f;
    LinksSpec s;
    s.n = 4;
    s.labels = {"a", "b", "c", "d"};
    s.heads = {matrix.data()};
    s.colors = {QColor(30, 60, 200)};
    s.font = QFont(QStringLiteral("DejaVu Sans"), 10);
    return s;
}

// How thick the ink is across a vertical line through x (pixels darker than half, top to bottom),
// between rows y0 and y1.
int inkRun(const QImage& image, int x, int y0, int y1) {
    int longest = 0, run = 0;
    for (int y = y0; y < y1; ++y) {
        run = qGray(image.pixel(x, y)) < 160 ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}
}  // namespace

void TestPainters::linksWidthFollowsWeight_data() {
    QTest::addColumn<bool>("screen");  // the view's fast lines, or an export's strokes
    QTest::addColumn<int>("height");   // of the figure: a laptop view, a projector in F11
    QTest::newRow("screen, laptop") << true << 300;
    QTest::newRow("export, laptop") << false << 300;
    QTest::newRow("screen, projector") << true << 900;
    QTest::newRow("export, projector") << false << 900;
}

// The strong link is wide (not a hairline) on screen as in an export, and wider with more room; the
// weak ones stay thin.
void TestPainters::linksWidthFollowsWeight() {
    QFETCH(bool, screen);
    QFETCH(int, height);
    std::vector<float> matrix;
    LinksSpec s = fourTokenLinks(matrix);
    s.fastLines = screen;
    s.columnHeaders = false;
    QImage image(600, height, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter p(&image);
        paintLinks(p, QRectF(image.rect()), s);
    }
    const LinksLayout l = linksLayout(QRectF(image.rect()), s);
    // Measured across the strong line a quarter of the way along (a -> d), where no other line
    // passes within 0.4 rows of it.
    const int xq = int(l.left.right() + (l.right.left() - l.left.right()) * 0.25);
    const double yq = l.top + 0.5 * l.rowHeight + 0.25 * 3 * l.rowHeight;
    const int strong = inkRun(image, xq, int(yq - l.rowHeight * 0.4), int(yq + l.rowHeight * 0.4));
    const int expected = int(linkWidth(0.97f, l.rowHeight) * 0.75);  // the thick part, less antialiased edges
    QVERIFY2(strong >= std::max(2, expected), qPrintable(QStringLiteral("strong line %1 px thick, want >= %2").arg(strong).arg(expected)));
    QVERIFY(linkWidth(0.97f, l.rowHeight) >= (height > 600 ? 8.0 : 4.0));
    QVERIFY(linkWidth(0.01f, l.rowHeight) < 1.2);
}

void TestPainters::linksColumnsAreHeaded() {
    std::vector<float> matrix;
    LinksSpec s = fourTokenLinks(matrix);
    const LinksLayout headed = linksLayout(QRectF(0, 0, 600, 400), s);
    QVERIFY(headed.headerRect.height() > 10);
    QVERIFY(headed.headerRect.bottom() <= headed.top + 0.01);
    s.columnHeaders = false;
    QCOMPARE(linksLayout(QRectF(0, 0, 600, 400), s).headerRect.height(), 0.0);
    // The header is drawn: ink above the first row that a figure without it lacks.
    s.columnHeaders = true;
    QImage image(600, 400, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter p(&image);
        paintLinks(p, QRectF(image.rect()), s);
    }
    double ink = 0;
    for (int y = int(headed.headerRect.top()); y < int(headed.headerRect.bottom()); ++y)
        for (int x = 0; x < image.width(); ++x) ink += 255 - qGray(image.pixel(x, y));
    QVERIFY(ink > 255 * 40);
}

void TestPainters::chipsWrap() {
    const QFont f(QStringLiteral("DejaVu Sans"), 10);
    const auto one = chipLayout({"the", "cat", "sat"}, f, 1000);
    QCOMPARE(one.size(), size_t(3));
    QCOMPARE(one[0].top(), one[2].top());  // one row
    const auto wrapped = chipLayout(QStringList(40, QStringLiteral("token")), f, 300);
    QVERIFY(wrapped.back().top() > wrapped.front().top());
    for (const QRectF& r : wrapped) QVERIFY(r.right() <= 300);
}

void TestPainters::niceTicks_data() {
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<int>("most");
    QTest::addColumn<QList<double>>("ticks");
    QTest::newRow("accuracy") << 0.0 << 1.0 << 5 << QList<double>{0, 0.25, 0.5, 0.75, 1};
    QTest::newRow("loss") << 0.0 << 6.3 << 5 << QList<double>{0, 2, 4, 6};
    QTest::newRow("steps") << 0.0 << 800.0 << 6 << QList<double>{0, 200, 400, 600, 800};
    QTest::newRow("small loss") << 0.0 << 0.042 << 4 << QList<double>{0, 0.02, 0.04};
    QTest::newRow("empty range") << 1.0 << 1.0 << 5 << QList<double>{1, 1};
}

// Round ticks inside the range, evenly spaced, at most as many as asked.
void TestPainters::niceTicks() {
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(int, most);
    QFETCH(QList<double>, ticks);
    const std::vector<double> got = attnscope::ui::niceTicks(lo, hi, most);
    QCOMPARE(int(got.size()), int(ticks.size()));
    for (size_t i = 0; i < got.size(); ++i) QVERIFY2(std::abs(got[i] - ticks[int(i)]) < 1e-9, qPrintable(QString::number(got[i])));
}

void TestPainters::rasterLinesMatchQPainter_data() {
    QTest::addColumn<QLineF>("line");
    QTest::addColumn<int>("alpha");
    QTest::addColumn<qreal>("scale");  // the device pixel ratio of the view's cache
    QTest::addColumn<qreal>("width");  // logical units, scaled with the lines
    QTest::newRow("shallow") << QLineF(10, 20, 190, 70) << 255 << 1.0 << 1.0;
    QTest::newRow("shallow, faint") << QLineF(10, 20, 190, 70) << 60 << 1.0 << 1.0;
    QTest::newRow("horizontal") << QLineF(5, 50.5, 195, 50.5) << 200 << 1.0 << 1.0;
    QTest::newRow("right to left") << QLineF(190, 100, 10, 5) << 255 << 1.0 << 1.0;
    QTest::newRow("steep") << QLineF(100, 2, 120, 118) << 255 << 1.0 << 1.0;
    QTest::newRow("vertical") << QLineF(60.5, 10, 60.5, 110) << 255 << 1.0 << 1.0;
    QTest::newRow("high-DPI") << QLineF(5, 10, 95, 50) << 255 << 2.0 << 1.0;
    QTest::newRow("wide, shallow") << QLineF(10, 20, 190, 70) << 255 << 1.0 << 4.0;
    QTest::newRow("wide, 45 degrees") << QLineF(20, 10, 120, 110) << 180 << 1.0 << 6.0;
    QTest::newRow("wide, steep") << QLineF(100, 8, 130, 112) << 255 << 1.0 << 9.0;
    QTest::newRow("wide, high-DPI") << QLineF(5, 10, 95, 50) << 255 << 2.0 << 5.0;
}

// The fast screen lines put the same ink in the same place as QPainter's antialiased ones.
void TestPainters::rasterLinesMatchQPainter() {
    QFETCH(QLineF, line);
    QFETCH(int, alpha);
    QFETCH(qreal, scale);
    QFETCH(qreal, width);
    QImage reference(200, 120, QImage::Format_ARGB32_Premultiplied), ours = reference;
    reference.fill(Qt::white);
    ours.fill(Qt::white);
    const QColor color(30, 60, 200, alpha);
    {
        QPainter p(&reference);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(scale, scale);
        p.setPen(QPen(color, width, Qt::SolidLine, Qt::FlatCap));
        p.drawLine(line);
    }
    QTransform toDevice;
    toDevice.scale(scale, scale);
    QVERIFY(LineRasterizer::supports(ours, toDevice));
    LineRasterizer::draw(ours, toDevice, &line, 1, color, width);
    const Ink a = inkOf(reference), b = inkOf(ours);
    QVERIFY2(b.total > 0.8 * a.total && b.total < 1.25 * a.total, qPrintable(QStringLiteral("ink %1 vs %2").arg(b.total).arg(a.total)));
    // Centred on the line (pixel (x, y) covers [x, x + 1)); QPainter's own lines sit up to 0.3 px off.
    const QPointF mid = toDevice.map(line.center()) - QPointF(0.5, 0.5);
    QVERIFY2(std::abs(b.x - mid.x()) < 0.05 && std::abs(b.y - mid.y()) < 0.05,
             qPrintable(QStringLiteral("centroid (%1, %2), line centre (%3, %4)").arg(b.x).arg(b.y).arg(mid.x()).arg(mid.y())));
    QVERIFY(std::abs(a.x - b.x) < 0.35 && std::abs(a.y - b.y) < 0.35);
    // Nothing outside the line's device bounding box grown by a pixel.
    const int grow = 1 + int(std::ceil(width * scale * 0.75));  // half the width, more at an angle
    const QRect box = toDevice.mapRect(QRectF(line.p1(), line.p2()).normalized()).toAlignedRect().adjusted(-grow, -grow, grow, grow);
    for (int y = 0; y < ours.height(); ++y)
        for (int x = 0; x < ours.width(); ++x)
            if (!box.contains(x, y)) QCOMPARE(ours.pixel(x, y), qRgb(255, 255, 255));
}

void TestPainters::rasterLinesOutsideAreClipped() {
    QImage image(50, 40, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    const QLineF lines[] = {QLineF(-1e9, -5, 1e9, 20),  QLineF(-100, -100, -10, -50), QLineF(60, 10, 500, 30),
                            QLineF(NAN, 3, 20, 4),       QLineF(3, 3, 3, 3),           QLineF(10, -1e12, 12, 1e12)};
    LineRasterizer::draw(image, QTransform(), lines, 6, Qt::black);
    // The first line crosses the image, the last one too (steep); the rest miss it or are empty.
    int inked = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) inked += image.pixel(x, y) != qRgb(255, 255, 255);
    QVERIFY(inked > 50 && inked < 300);
    QImage other(10, 10, QImage::Format_RGB32);
    QVERIFY(!LineRasterizer::supports(other, QTransform()));
    QVERIFY(!LineRasterizer::supports(image, QTransform().rotate(30)));
}

QTEST_MAIN(TestPainters)
#include "tst_painters.moc"
