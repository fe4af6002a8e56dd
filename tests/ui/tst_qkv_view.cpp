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

QTEST_MAIN(TestQkvView)
#include "tst_qkv_view.moc"
