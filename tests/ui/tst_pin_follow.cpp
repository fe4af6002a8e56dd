// followPinnedToken and ViewState::setResult: a pin follows its word through an edit, by character
// offsets, on the built-in teaching model (bert-base-uncased's vocabulary).
#include "model/builtin_models.h"
#include "session/analysis_session.h"
#include "session/pin_follow.h"
#include "session/view_state.h"

#include <QSignalSpy>
#include <QTest>

using namespace attnscope::ui;

class TestPinFollow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void followsTheWord_data();
    void followsTheWord();
    void textAndImageDoNotShareAPin();
    void viewStateFollowsAndDropsTheHover();

private:
    AnalysisResultPtr analyse(const QString& text);
    static int indexOf(const AnalysisResult& r, const QString& label, int occurrence);
    LoadedModelPtr m_model;
};

void TestPinFollow::initTestCase() {
    auto model = attnscope::core::loadModelFolder(attnscope::core::builtinTeachingModelPath());
    QVERIFY2(model, qPrintable(model.message()));
    m_model = std::make_shared<const attnscope::core::LoadedModel>(std::move(model).value());
}

AnalysisResultPtr TestPinFollow::analyse(const QString& text) {
    auto r = runAnalysis(*m_model, text, true);
    if (!r) qFatal("analysis failed: %s", qPrintable(r.message()));
    return *r;
}

// The index of the occurrence-th token labelled `label` (0-based), -1 when there is none.
int TestPinFollow::indexOf(const AnalysisResult& r, const QString& label, int occurrence) {
    for (int i = 0; i < r.labels.size(); ++i)
        if (r.labels[i] == label && occurrence-- == 0) return i;
    return -1;
}

void TestPinFollow::followsTheWord_data() {
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("pinned");  // the label pinned (its first occurrence unless `occurrence`)
    QTest::addColumn<int>("occurrence");
    QTest::addColumn<QString>("after");
    QTest::addColumn<QString>("expected");  // the label pinned after the edit, empty: unpinned
    QTest::addColumn<int>("expectedOccurrence");
    const QString s = QStringLiteral("The animal didn't cross the road because it was tired.");
    QTest::newRow("the deciding word swapped") << s << "it" << 0 << QStringLiteral("The animal didn't cross the road because it was wide.") << "it" << 0;
    QTest::newRow("a word typed after it") << s << "it" << 0 << QStringLiteral("The animal didn't cross the road because it was very tired.") << "it" << 0;
    QTest::newRow("words typed before it") << s << "it" << 0 << QStringLiteral("The big old animal didn't cross the road because it was tired.") << "it" << 0;
    QTest::newRow("a word after the edit shifts") << s << "tired" << 0 << QStringLiteral("The big animal didn't cross the road because it was tired.") << "tired" << 0;
    QTest::newRow("the second 'the' stays the second") << s << "the" << 1 << QStringLiteral("A animal didn't cross the road because it was tired.") << "the" << 0;
    QTest::newRow("the pinned word edited") << s << "it" << 0 << QStringLiteral("The animal didn't cross the road because its was tired.") << "" << 0;
    QTest::newRow("the pinned word deleted") << s << "it" << 0 << QStringLiteral("The animal didn't cross the road because was tired.") << "" << 0;
    QTest::newRow("the pinned word retyped") << s << "it" << 0 << QStringLiteral("The animal didn't cross the road because xt was tired.") << "" << 0;
    QTest::newRow("glued to the next word") << s << "it" << 0 << QStringLiteral("The animal didn't cross the road because itwas tired.") << "" << 0;
    QTest::newRow("[CLS] stays first") << s << "[CLS]" << 0 << QStringLiteral("A dog slept.") << "[CLS]" << 0;
    QTest::newRow("[SEP] stays last") << s << "[SEP]" << 0 << QStringLiteral("A dog slept.") << "[SEP]" << 0;
    QTest::newRow("a piece of a word") << s << "t" << 0 << QStringLiteral("The big animal didn't cross the road because it was tired.") << "t" << 0;
    QTest::newRow("two edits around it: unpinned") << s << "t" << 0 << QStringLiteral("The big animal didn't cross the road.") << "" << 0;
    QTest::newRow("punctuation after it changed") << s << "tired" << 0 << QStringLiteral("The animal didn't cross the road because it was tired!") << "tired" << 0;
    QTest::newRow("accents: offsets count code points") << QStringLiteral("Zoë 🙂 saw it.") << "it" << 0 << QStringLiteral("Zoë 🙂🙂 saw it.") << "it" << 0;
    QTest::newRow("nothing pinned") << s << "" << 0 << s << "" << 0;
}

void TestPinFollow::followsTheWord() {
    QFETCH(QString, before);
    QFETCH(QString, pinned);
    QFETCH(int, occurrence);
    QFETCH(QString, after);
    QFETCH(QString, expected);
    QFETCH(int, expectedOccurrence);
    const AnalysisResultPtr a = analyse(before), b = analyse(after);
    const int pin = pinned.isEmpty() ? -1 : indexOf(*a, pinned, occurrence);
    QVERIFY(pinned.isEmpty() || pin >= 0);
    const int want = expected.isEmpty() ? -1 : indexOf(*b, expected, expectedOccurrence);
    QVERIFY(expected.isEmpty() || want >= 0);
    QCOMPARE(followPinnedToken(*a, pin, *b), want);
}

void TestPinFollow::textAndImageDoNotShareAPin() {
    const AnalysisResultPtr text = analyse(QStringLiteral("The animal was tired because it ran."));
    auto image = std::make_shared<AnalysisResult>(*text);
    image->picture = std::make_shared<QImage>(32, 32, QImage::Format_RGB32);
    image->grid = 4;
    QCOMPARE(followPinnedToken(*text, 5, *image), -1);
    QCOMPARE(followPinnedToken(*image, 5, *text), -1);
    QCOMPARE(followPinnedToken(*image, 5, *image), 5);  // another picture, the same grid: the same patch
    auto other = std::make_shared<AnalysisResult>(*image);
    other->grid = 5;
    QCOMPARE(followPinnedToken(*image, 5, *other), -1);
}

void TestPinFollow::viewStateFollowsAndDropsTheHover() {
    ViewState state;
    const AnalysisResultPtr a = analyse(QStringLiteral("The animal didn't cross the road because it was tired."));
    state.setResult(a);
    QCOMPARE(state.tokens(), a->trace->tokens());
    const int it = indexOf(*a, QStringLiteral("it"), 0);
    state.setPinnedToken(it);
    state.setHoveredToken(2);
    QSignalSpy focus(&state, &ViewState::focusChanged);
    const AnalysisResultPtr b = analyse(QStringLiteral("Yesterday the animal didn't cross the road because it was tired."));
    state.setResult(b);
    QCOMPARE(state.pinnedToken(), indexOf(*b, QStringLiteral("it"), 0));
    QCOMPARE(state.pinnedToken(), it + 1);
    QCOMPARE(state.hoveredToken(), -1);
    QCOMPARE(focus.count(), 1);
    state.setResult(analyse(QStringLiteral("Yesterday the animal didn't cross the road because he was tired.")));
    QCOMPARE(state.pinnedToken(), -1);
}

QTEST_MAIN(TestPinFollow)
#include "tst_pin_follow.moc"
