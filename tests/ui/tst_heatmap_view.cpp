// The heatmap widget: exact values on hover, click pins, wheel zoom about the cursor, drag pans.
#include "session/analysis_session.h"
#include "test_paths.h"
#include "widgets/heatmap_view.h"

#include <QApplication>
#include <QTest>
#include <QToolButton>
#include <QWheelEvent>

using namespace attnscope::ui;

class TestHeatmapView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void hoverShowsTheExactValue();
    void clickPinsAndDragPans();
    void wheelZoomsAboutTheCursor();
    void boldLabelsAreNotClipped_data();
    void boldLabelsAreNotClipped();

private:
    QPointF cellCentre(int row, int col) const;

    AnalysisResultPtr m_result;
    ViewState m_state;
    std::unique_ptr<HeatmapView> m_view;
};

void TestHeatmapView::initTestCase() {
    auto model = attnscope::core::loadModelFolder(attnscope::test::modelFixture(QStringLiteral("bert")));
    QVERIFY(model);
    auto result = runAnalysis(*model, QStringLiteral("the road ").repeated(30), true);  // 62 tokens
    QVERIFY(result);
    m_result = *result;
}

void TestHeatmapView::init() {
    m_state.setLimits(2, 4, m_result->encoding.size());
    m_state.setPinnedToken(-1);
    m_view = std::make_unique<HeatmapView>(&m_state);
    m_view->resize(700, 600);
    m_view->setResult(m_result);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

QPointF TestHeatmapView::cellCentre(int row, int col) const {
    const HeatmapLayout l = m_view->screenLayout();
    return QPointF(l.origin.x() + (col + 0.5) * l.cell, l.origin.y() + (row + 0.5) * l.cell);
}

void TestHeatmapView::hoverShowsTheExactValue() {
    const QPointF p = cellCentre(3, 1);
    const float value = m_result->trace->head(0, 0).prob(3, 1);
    QCOMPARE(m_view->cellText(p), QStringLiteral("%1 → %2  %3").arg(m_result->labels[3], m_result->labels[1]).arg(double(value), 0, 'f', 4));
    QTest::mouseMove(m_view.get(), p.toPoint());
    QTRY_COMPARE(m_state.hoveredToken(), 3);
}

void TestHeatmapView::clickPinsAndDragPans() {
    QTest::mouseClick(m_view.get(), Qt::LeftButton, {}, cellCentre(5, 2).toPoint());
    QCOMPARE(m_state.pinnedToken(), 5);
    auto* reset = m_view->findChild<QToolButton*>(QStringLiteral("heatmapResetZoom"));
    QVERIFY(reset && !reset->isVisible());
    const HeatmapLayout fitted = m_view->screenLayout();
    m_view->zoomAt(4.0, QPointF(350, 300));
    QVERIFY(reset->isVisible());  // a visible way back
    const HeatmapLayout before = m_view->screenLayout();
    // Zoomed, the labels' gutters and the colour bar stay where they were.
    QCOMPARE(before.matrix.topLeft(), fitted.matrix.topLeft());
    QCOMPARE(before.colorbar, fitted.colorbar);
    QVERIFY(before.cell > fitted.cell * 3.9);
    auto drag = [&](QPoint from, QList<QPoint> path) {
        QTest::mousePress(m_view.get(), Qt::LeftButton, {}, from);
        for (QPoint p : path) {
            QMouseEvent move(QEvent::MouseMove, QPointF(p), m_view->mapToGlobal(QPointF(p)), Qt::NoButton, Qt::LeftButton, {});
            QApplication::sendEvent(m_view.get(), &move);
        }
        QTest::mouseRelease(m_view.get(), Qt::LeftButton, {}, path.last());
    };
    drag(QPoint(300, 300), {QPoint(340, 320), QPoint(360, 340)});
    const HeatmapLayout after = m_view->screenLayout();
    QCOMPARE(after.origin, before.origin + QPointF(60, 40));  // the cells followed the pointer
    QCOMPARE(after.matrix, before.matrix);
    QCOMPARE(m_state.pinnedToken(), 5);  // a drag does not pin
    drag(QPoint(300, 300), {QPoint(330, 300), QPoint(300, 300)});  // away and back: still a drag
    QCOMPARE(m_state.pinnedToken(), 5);
    reset->click();
    QCOMPARE(m_view->zoom(), 1.0);
    QVERIFY(!reset->isVisible());
    drag(QPoint(300, 300), {QPoint(330, 330)});  // unzoomed too, a drag never pins
    QCOMPARE(m_state.pinnedToken(), 5);
    m_view->zoomAt(2.0, QPointF(350, 300));
    QTest::mouseDClick(m_view.get(), Qt::LeftButton, {}, QPoint(300, 300));
    QCOMPARE(m_view->zoom(), 1.0);
}

void TestHeatmapView::wheelZoomsAboutTheCursor() {
    const QPointF anchor = cellCentre(20, 30);
    const QString under = m_view->cellText(anchor);
    QWheelEvent wheel(anchor, m_view->mapToGlobal(anchor), QPoint(), QPoint(0, 360), Qt::NoButton, {}, Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_view.get(), &wheel);
    QVERIFY(m_view->zoom() > 1.9);
    QCOMPARE(m_view->cellText(anchor), under);  // the cell under the cursor stays put
    AttentionMatrix m;
    const HeatmapSpec spec = heatmapSpec(*m_result, m_state, m_view->figureStyle(), m);
    QVERIFY(m_view->screenLayout().labelStep < heatmapLayout(QRectF(0, 0, 684, 584), spec).labelStep);  // more labels when zoomed
}

void TestHeatmapView::boldLabelsAreNotClipped_data() {
    QTest::addColumn<QString>("label");
    QTest::newRow("word") << QStringLiteral("understand");
    QTest::newRow("wide letters") << QStringLiteral("MWMWM");
    QTest::newRow("special") << QStringLiteral("[SEP]");
}

// The focus's label is drawn bold: the label column is wide enough for it in bold (labels longer than
// the column's cap of 14 average characters are elided, in the font they are drawn in).
void TestHeatmapView::boldLabelsAreNotClipped() {
    QFETCH(QString, label);
    HeatmapSpec s;
    std::vector<float> values(9, 1.0f / 3);
    s.n = 3;
    s.values = values.data();
    s.labels = {QStringLiteral("a"), label, QStringLiteral("b")};
    s.font = QFont(QStringLiteral("DejaVu Sans"), 10);
    s.focus = 1;
    const HeatmapLayout l = heatmapLayout(QRectF(0, 0, 600, 600), s);
    QFont bold = s.font;
    bold.setBold(true);
    QVERIFY2(QFontMetricsF(bold).horizontalAdvance(label) <= l.labelWidth - 4,
             qPrintable(QStringLiteral("%1 px of bold text in a %2 px column").arg(QFontMetricsF(bold).horizontalAdvance(label)).arg(l.labelWidth - 4)));
}

QTEST_MAIN(TestHeatmapView)
#include "tst_heatmap_view.moc"
