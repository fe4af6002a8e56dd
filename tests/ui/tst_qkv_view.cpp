// The Q/K/V step-through: keyboard stepping, query choice, animation, and what the steps draw.
#include "session/analysis_session.h"
#include "test_paths.h"
#include "widgets/qkv_view.h"

#include <QApplication>
#include <QImage>
#include <QSignalSpy>
#include <QTest>

using namespace attnscope::ui;

namespace {

// The view's figure at `step`, painted into a 900 x 600 white image.
QImage painted(QkvView& view, QkvStep step) {
    view.setStep(step);
    QImage image(900, 600, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    view.paintFigure(p, QRectF(0, 0, 900, 600), view.figureStyle());
    return image;
}

int inkOf(const QImage& image) {
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) count += image.pixel(x, y) != qRgb(255, 255, 255);
    return count;
}

}  // namespace

class TestQkvView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void keyboardSteps_data();
    void keyboardSteps();
    void queryFollowsFocus();
    void playRunsToTheEnd();
    void laterStepsDrawMore();
    void rotaryModelsRotate();
    void opensAtStepOne();
    void layoutNeverOverlaps_data();
    void layoutNeverOverlaps();
    void hoverTellsTheValue();
    void zeroFadesIntoTheBackground();

private:
    AnalysisResultPtr m_result;
    ViewState m_state;
};

void TestQkvView::initTestCase() {
    auto model = attnscope::core::loadModelFolder(attnscope::test::modelFixture(QStringLiteral("gpt2")));
    QVERIFY(model);
    auto result = runAnalysis(*model, QStringLiteral("The animal didn't cross the road because it was tired."), false);
    QVERIFY(result);
    m_result = *result;
    m_state.setLimits(2, 4, m_result->encoding.size());
}

void TestQkvView::keyboardSteps_data() {
    QTest::addColumn<QList<int>>("keys");
    QTest::addColumn<int>("step");
    QTest::newRow("home") << QList<int>{Qt::Key_Home} << 0;
    QTest::newRow("home, right, right") << QList<int>{Qt::Key_Home, Qt::Key_Right, Qt::Key_Right} << 2;
    QTest::newRow("home, space") << QList<int>{Qt::Key_Home, Qt::Key_Space} << 1;
    QTest::newRow("end, left") << QList<int>{Qt::Key_End, Qt::Key_Left} << 8;
    QTest::newRow("left at the start stays") << QList<int>{Qt::Key_Home, Qt::Key_Left} << 0;
    QTest::newRow("right at the end stays") << QList<int>{Qt::Key_End, Qt::Key_Right} << 9;
}

void TestQkvView::keyboardSteps() {
    QFETCH(QList<int>, keys);
    QFETCH(int, step);
    QkvView view(&m_state);
    view.setResult(m_result);
    for (int k : keys) QTest::keyClick(&view, Qt::Key(k));
    QCOMPARE(view.stepIndex(), step);
}

void TestQkvView::queryFollowsFocus() {
    QkvView view(&m_state);
    view.setResult(m_result);
    QCOMPARE(view.query(), m_result->encoding.size() - 1);  // a decoder starts on its last token
    m_state.setHoveredToken(4);
    QCOMPARE(view.query(), 4);
    m_state.setHoveredToken(-1);
    QTest::keyClick(&view, Qt::Key_Up);
    QCOMPARE(view.query(), m_result->encoding.size() - 2);
}

void TestQkvView::playRunsToTheEnd() {
    QkvView view(&m_state);
    view.setResult(m_result);
    QCOMPARE(view.playInterval(), 1400);
    view.setPlayInterval(40);  // the class's pace would take 13 s here
    QTest::keyClick(&view, Qt::Key_Home);
    QTest::keyClick(&view, Qt::Key_P);
    QVERIFY(view.playing());
    QTRY_COMPARE_WITH_TIMEOUT(view.stepIndex(), 9, 20000);
    QTRY_VERIFY(!view.playing());
}

void TestQkvView::laterStepsDrawMore() {
    QkvView view(&m_state);
    view.setResult(m_result);
    int previous = -1;
    for (QkvStep s : view.steps()) {
        const int now = inkOf(painted(view, s));
        QVERIFY2(now >= previous, qPrintable(QStringLiteral("step %1 drew less than the one before").arg(int(s))));
        previous = now;
    }
}

// A rotary decoder takes an 11th step: q and k turned by position, between the keys and the scores;
// before it the view shows them as the projections made them.
void TestQkvView::rotaryModelsRotate() {
    auto model = attnscope::core::loadModelFolder(QStringLiteral(ATTNSCOPE_FIXTURES "/decoders/llama"));
    QVERIFY2(model, qPrintable(model ? QString() : model.message()));
    auto result = runAnalysis(*model, QStringLiteral("The animal didn't cross the road because it was tired."), false);
    QVERIFY(result);
    ViewState state;
    state.setLimits((*result)->trace->layers(), (*result)->trace->heads(), (*result)->encoding.size());
    QkvView view(&state);
    view.setResult(*result);
    QCOMPARE(view.steps().size(), size_t(11));
    QCOMPARE(view.steps()[3], QkvStep::Rotate);
    QTest::keyClick(&view, Qt::Key_Home);
    for (int i = 0; i < 3; ++i) QTest::keyClick(&view, Qt::Key_Right);
    QCOMPARE(view.step(), QkvStep::Rotate);
    QCOMPARE(qkvStepName(QkvStep::Rotate, true, true), QStringLiteral("4 · rotate q and k by position (RoPE)"));
    QCOMPARE(qkvStepName(QkvStep::Dot, true, true), QStringLiteral("5 · scores q · k_j"));
    QCOMPARE(qkvStepName(QkvStep::Dot, true, false), QStringLiteral("4 · scores q · k_j"));
    const QImage keys = painted(view, QkvStep::Keys), rotated = painted(view, QkvStep::Rotate);
    QVERIFY(keys != rotated);  // the rotated q strip, and the keys turned
    QVERIFY(inkOf(rotated) > inkOf(keys));
    // A session's step is its place among the model's steps: the last one for an out-of-range value.
    view.setStepIndex(42);
    QCOMPARE(view.step(), QkvStep::Output);
    QCOMPARE(view.stepIndex(), 10);
}

// A class starts at step 1, on the pinned token.
void TestQkvView::opensAtStepOne() {
    ViewState state;
    state.setLimits(2, 4, m_result->encoding.size());
    state.setPinnedToken(7);
    QkvView view(&state);
    view.setResult(m_result);
    QCOMPARE(view.stepIndex(), 0);
    QCOMPARE(view.step(), QkvStep::Input);
    QCOMPARE(view.query(), 7);
}

void TestQkvView::layoutNeverOverlaps_data() {
    QTest::addColumn<QSizeF>("size");
    QTest::addColumn<qreal>("points");  // font size: 9 on a laptop, 16 in presentation mode
    QTest::addColumn<bool>("allKeys");
    QTest::newRow("laptop") << QSizeF(1100, 640) << 9.0 << false;
    QTest::newRow("1280x720 F11") << QSizeF(980, 440) << 16.0 << false;
    QTest::newRow("1920x1080 F11") << QSizeF(1500, 760) << 16.0 << false;
    QTest::newRow("short window: paged") << QSizeF(900, 300) << 10.0 << false;
    QTest::newRow("narrow: bars without numbers") << QSizeF(420, 600) << 10.0 << false;
    QTest::newRow("export") << QSizeF(1000, 520) << 9.0 << true;
}

// Whatever the size: the regions are stacked without overlap inside the figure, the columns side by
// side, and on screen every key row is tall enough to read (paged when they do not all fit).
void TestQkvView::layoutNeverOverlaps() {
    QFETCH(QSizeF, size);
    QFETCH(qreal, points);
    QFETCH(bool, allKeys);
    QkvSpec spec;
    spec.trace = m_result->trace.get();
    spec.labels = m_result->labels;
    spec.query = 3;
    spec.font = QFont(QStringLiteral("DejaVu Sans"), 1);
    spec.font.setPointSizeF(points);
    spec.allKeys = allKeys;
    spec.firstKey = 1000;  // clamped to the last page
    const QRectF rect(QPointF(10, 10), size);
    const QkvLayout l = qkvLayout(rect, spec);
    const int n = spec.trace->tokens();
    const QFontMetricsF fm(spec.font);
    QVERIFY(l.keyCount >= 1 && l.keyCount <= n);
    QVERIFY(l.firstKey >= 0 && l.firstKey + l.keyCount <= n);
    if (allKeys) QCOMPARE(l.keyCount, n);
    else QVERIFY2(l.rowHeight >= fm.height(), qPrintable(QStringLiteral("rows %1 px for %2 px text").arg(l.rowHeight).arg(fm.height())));
    if (l.keyCount < n) QCOMPARE(l.firstKey, n - l.keyCount);
    const double rowsBottom = l.top + l.rowHeight * l.keyCount;
    // Top to bottom: title, x, q, column titles, rows, (page note), context, output, colour scale.
    QVERIFY(l.title.bottom() <= l.vectorLabel[int(QkvVector::Input)].top() + 0.01);
    QVERIFY(l.vectorLabel[int(QkvVector::Query)].bottom() <= l.titlesTop + 0.01);
    QVERIFY(l.titlesTop + l.line <= l.top + 0.01);
    QVERIFY(rowsBottom <= l.vectorLabel[int(QkvVector::Context)].top() + 0.01);
    if (!l.pageNote.isEmpty()) QVERIFY(l.pageNote.bottom() <= l.vectorLabel[int(QkvVector::Context)].top() + 0.01);
    QVERIFY(l.vectorLabel[int(QkvVector::Context)].bottom() <= l.vectorLabel[int(QkvVector::Output)].top() + 0.01);
    QVERIFY(l.vectorLabel[int(QkvVector::Output)].bottom() <= l.legend.top() + 0.01);
    if (!allKeys) QVERIFY2(l.legend.bottom() <= rect.bottom() + 0.5, qPrintable(QStringLiteral("legend ends at %1 of %2").arg(l.legend.bottom()).arg(rect.bottom())));
    for (int c = 0; c < kQkvColumns; ++c) {
        QVERIFY(l.columns[c].width() > 0);
        QVERIFY(l.columns[c].left() >= rect.left() - 0.01);
        if (c > 0) QVERIFY(l.columns[c].left() >= l.columns[c - 1].right());
    }
    QVERIFY2(l.columns[kQkvColumns - 1].right() <= rect.right() + 0.5, qPrintable(QStringLiteral("%1 > %2").arg(l.columns[kQkvColumns - 1].right()).arg(rect.right())));
    for (int r = 0; r < kQkvVectorRows; ++r) {
        if (l.vectorLabel[r].isEmpty()) continue;
        QVERIFY(l.vectorLabel[r].right() <= l.vectorStrip[r].left());
        QVERIFY(l.vectorStrip[r].right() <= l.vectorNorm[r].left());
        QVERIFY(l.vectorNorm[r].right() <= rect.right() + 0.5);
    }
    // The numbers go before the bars, never over them.
    if (size.width() < 600) QVERIFY(!l.columnWords[int(QkvColumn::Dot)]);
    else QVERIFY(l.columnWords[int(QkvColumn::Dot)]);
}

void TestQkvView::hoverTellsTheValue() {
    QkvSpec spec;
    spec.trace = m_result->trace.get();
    spec.labels = m_result->labels;
    spec.layer = 1;
    spec.head = 2;
    spec.query = 5;
    spec.font = QFont(QStringLiteral("DejaVu Sans"), 9);
    spec.allKeys = false;
    const QRectF rect(0, 0, 1100, 640);
    const QkvLayout l = qkvLayout(rect, spec);
    const auto& t = *spec.trace;
    const int j = 2, d = t.headDim(), e = d / 2;
    const double y = l.top + (j - l.firstKey + 0.5) * l.rowHeight;
    auto xOf = [&](QkvColumn c) { return l.columns[int(c)].left() + (e + 0.5) * l.columns[int(c)].width() / d; };
    const float* v = t.vRow(1, 2, j);
    QCOMPARE(qkvValueAt(rect, spec, QPointF(xOf(QkvColumn::Value), y)),
             QStringLiteral("v_j[%1] of “%2” (#%3) = %4").arg(e).arg(spec.labels[j]).arg(j).arg(double(v[e]), 0, 'g', 5));
    const float p = t.head(1, 2).probsRow(5)[j];
    QVERIFY(qkvValueAt(rect, spec, QPointF(l.columns[int(QkvColumn::Softmax)].center().x(), y)).contains(QString::number(double(p) * 100, 'f', 2)));
    const QRectF q = l.vectorStrip[int(QkvVector::Query)];
    const float* qv = t.qRow(1, 2, 5);
    QCOMPARE(qkvValueAt(rect, spec, QPointF(q.left() + (e + 0.5) * q.width() / d, q.center().y())),
             QStringLiteral("q[%1] = %2").arg(e).arg(double(qv[e]), 0, 'g', 5));
    QVERIFY(qkvValueAt(rect, spec, QPointF(rect.right() - 1, rect.bottom() - 1)).isEmpty());
    spec.step = QkvStep::Keys;  // not revealed yet: no values
    QVERIFY(qkvValueAt(rect, spec, QPointF(xOf(QkvColumn::Value), y)).isEmpty());
}

// In the dark theme a zero weight is the background, not a bright white bar; light keeps the map.
void TestQkvView::zeroFadesIntoTheBackground() {
    const QColor dark(26, 26, 28);
    QCOMPARE(divergingColor(0.0f, dark), dark);
    QVERIFY(divergingColor(1.0f, dark).blue() > 120);   // positive: blue
    QVERIFY(divergingColor(-1.0f, dark).red() > 100);   // negative: red
    QVERIFY(divergingColor(0.0f, Qt::white).lightness() > 230);
    QVERIFY(divergingColor(1.0f, Qt::white).blue() > divergingColor(1.0f, Qt::white).red());
}

QTEST_MAIN(TestQkvView)
#include "tst_qkv_view.moc"
