// The model grid's layout: which cell a point is in, and which labels are drawn.
#include "render/grid_painter.h"

#include <QFont>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QTest>

using namespace attnscope::ui;

class TestGridPainter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void gridCellAt_data();
    void gridCellAt();
    void gridLabelsThinOut_data();
    void gridLabelsThinOut();
};

void TestGridPainter::gridCellAt_data() {
    QTest::addColumn<int>("layer");
    QTest::addColumn<int>("head");
    QTest::newRow("0,0") << 0 << 0;
    QTest::newRow("11,11") << 11 << 11;
    QTest::newRow("5,3") << 5 << 3;
}

void TestGridPainter::gridCellAt() {
    QFETCH(int, layer);
    QFETCH(int, head);
    const GridLayout g = gridLayout(QRectF(0, 0, 900, 900), 12, 12, QFont(QStringLiteral("DejaVu Sans"), 9));
    QVERIFY(g.cell > 40);
    QCOMPARE(attnscope::ui::gridCellAt(g, g.thumbnail(layer, head).center()).value(), QPoint(head, layer));
}

void TestGridPainter::gridLabelsThinOut_data() {
    QTest::addColumn<QSizeF>("size");
    QTest::addColumn<int>("layers");
    QTest::addColumn<int>("heads");
    QTest::addColumn<bool>("everyHead");
    QTest::addColumn<bool>("everyLayer");
    QTest::newRow("bert-base, wide") << QSizeF(900, 900) << 12 << 12 << true << true;
    QTest::newRow("64 heads") << QSizeF(1400, 600) << 12 << 64 << false << true;
    QTest::newRow("80 layers, 64 heads") << QSizeF(1200, 700) << 80 << 64 << false << false;
    QTest::newRow("64 heads, a wall") << QSizeF(6000, 6000) << 12 << 64 << true << true;
}

// A label is drawn every headStep-th column and layerStep-th row, and the labels drawn never
// overlap: each has at least its width (its line's height) of pitch.
void TestGridPainter::gridLabelsThinOut() {
    QFETCH(QSizeF, size);
    QFETCH(int, layers);
    QFETCH(int, heads);
    QFETCH(bool, everyHead);
    QFETCH(bool, everyLayer);
    const QFont font(QStringLiteral("DejaVu Sans"), 9);
    const QFontMetricsF fm(font);
    const GridLayout g = gridLayout(QRectF(QPointF(0, 0), size), layers, heads, font);
    QVERIFY(g.cell > 0);
    QCOMPARE(g.headStep == 1, everyHead);
    QCOMPARE(g.layerStep == 1, everyLayer);
    const double pitch = g.cell + g.gap;
    QVERIFY(g.headStep * pitch >= fm.horizontalAdvance(QStringLiteral("H%1").arg(heads - 1)));
    QVERIFY(g.layerStep * pitch >= fm.height());
    if (g.headStep > 1) QVERIFY(g.headStep / 2 * pitch < fm.horizontalAdvance(QStringLiteral("H%1").arg(heads - 1)) + 6);
}

QTEST_MAIN(TestGridPainter)
#include "tst_grid_painter.moc"
