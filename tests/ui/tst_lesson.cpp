// The guided lesson: its script (order, captions quoting the sentence's own numbers, glossary) and
// the panel driving the window (views, Q/K/V steps, head mode, the swap, outlines, keys, F11).
#include "lesson/lesson_script.h"
#include "model/builtin_models.h"
#include "session/analysis_session.h"
#include "widgets/highlight_frame.h"
#include "widgets/lesson_panel.h"
#include "widgets/main_window.h"
#include "widgets/qkv_view.h"

#include <QApplication>
#include "widgets/sentence_edit.h"
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTextDocument>

using namespace attnscope::ui;

class TestLesson : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scriptFollowsTheComputation();
    void captionsQuoteTheSentence_data();
    void captionsQuoteTheSentence();
    void glossaryDefinesTheTerms();
    void panelDrivesTheWindow();

private:
    AnalysisResultPtr m_result;
};

void TestLesson::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("AttnScopeTests"));
    QStandardPaths::setTestModeEnabled(true);
    auto model = attnscope::core::loadModelFolder(attnscope::core::builtinTeachingModelPath());
    QVERIFY(model);
    auto r = runAnalysis(*model, attnscope::core::defaultSentence(), false);
    QVERIFY(r);
    m_result = *r;
}

void TestLesson::scriptFollowsTheComputation() {
    const auto& steps = LessonScript::steps();
    QCOMPARE(steps.size(), size_t(12));
    QkvStep last = QkvStep::Input;
    for (size_t i = 0; i < 8; ++i) {
        QCOMPARE(steps[i].view, QStringLiteral("qkv"));
        QVERIFY(steps[i].qkvStep.has_value());
        if (i > 0) QVERIFY(int(*steps[i].qkvStep) > int(last));  // each step reveals more
        last = *steps[i].qkvStep;
    }
    QCOMPARE(last, QkvStep::Context);
    QCOMPARE(int(steps[8].headMode), int(HeadMode::All));
    QCOMPARE(steps[9].view, QStringLiteral("grid"));
    QCOMPARE(int(steps[10].target), int(LessonTarget::Predictions));
    QVERIFY(steps[11].swapWord);
}

void TestLesson::captionsQuoteTheSentence_data() {
    QTest::addColumn<int>("step");
    QTest::addColumn<QStringList>("says");
    const QString it = QStringLiteral("“it”"), animal = QStringLiteral("“animal”");
    QTest::newRow("tokens") << 0 << QStringList{QStringLiteral("15 tokens"), QStringLiteral("96 numbers"), it};
    QTest::newRow("query") << 1 << QStringList{it, QStringLiteral("24 numbers")};
    QTest::newRow("keys") << 2 << QStringList{QStringLiteral("15 rows")};
    QTest::newRow("dot products") << 3 << QStringList{animal, QStringLiteral("dot product")};
    QTest::newRow("scaling") << 4 << QStringList{QStringLiteral("√24")};
    QTest::newRow("softmax") << 5 << QStringList{it, animal, QStringLiteral("100%"), QStringLiteral("attention weights")};
    QTest::newRow("values") << 6 << QStringList{animal, QStringLiteral("value")};
    QTest::newRow("context") << 7 << QStringList{QStringLiteral("context vector"), animal};
    QTest::newRow("heads") << 8 << QStringList{QStringLiteral("4 heads")};
    QTest::newRow("layers") << 9 << QStringList{QStringLiteral("4 layers"), QStringLiteral("4 × 4")};
    QTest::newRow("prediction") << 10 << QStringList{QStringLiteral("layer 2, head 0"), it, animal};
}

void TestLesson::captionsQuoteTheSentence() {
    QFETCH(int, step);
    QFETCH(QStringList, says);
    ViewState state;
    state.setResult(m_result);
    state.setLayer(2);  // the teaching model's coreference head
    state.setHead(0);
    QTextDocument doc;
    doc.setHtml(LessonScript::caption(step, *m_result, state));
    const QString text = doc.toPlainText();
    for (const QString& s : says) QVERIFY2(text.contains(s), qPrintable(QStringLiteral("step %1 lacks “%2”: %3").arg(step).arg(s, text)));
}

void TestLesson::glossaryDefinesTheTerms() {
    const QString g = LessonScript::glossary();
    for (const char* term : {"Query", "Key", "Value", "Head", "Layer", "Softmax", "Attention weight", "Token", "Embedding"})
        QVERIFY2(g.contains(QStringLiteral("<b>%1").arg(QLatin1String(term))), term);
}

void TestLesson::panelDrivesTheWindow() {
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
    w.openBuiltinModel();
    QVERIFY(ready.wait(10000));
    w.setLessonVisible(true);
    LessonPanel* lesson = w.lesson();
    QTRY_VERIFY(lesson->isVisible());
    QCOMPARE(lesson->step(), 0);
    QCOMPARE(w.currentFigure()->figureName(), QStringLiteral("qkv"));
    auto* qkv = w.findChild<QkvView*>();
    QCOMPARE(qkv->step(), QkvStep::Input);
    auto* frame = w.findChild<HighlightFrame*>();
    QVERIFY(frame && frame->isVisible());
    QCOMPARE(frame->target()->metaObject()->className(), "attnscope::ui::TokenBar");
    const int it = w.session()->result()->labels.indexOf(QStringLiteral("it"));
    QCOMPARE(w.viewState()->pinnedToken(), it);

    // Page Down (a clicker) steps on, also while the sentence box has focus; Page Up steps back.
    w.findChild<SentenceEdit*>()->setFocus();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageDown);
    QCOMPARE(lesson->step(), 1);
    QCOMPARE(qkv->step(), QkvStep::Query);
    QCOMPARE(w.viewState()->layer(), 2);  // the layer did not change: the lesson took the key
    for (int i = 0; i < 7; ++i) QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageDown);
    QCOMPARE(lesson->step(), 8);
    QCOMPARE(int(w.viewState()->headMode()), int(HeadMode::All));
    QCOMPARE(w.currentFigure()->figureName(), QStringLiteral("links"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageDown);
    QCOMPARE(w.currentFigure()->figureName(), QStringLiteral("grid"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageUp);
    QCOMPARE(lesson->step(), 8);
    lesson->setStep(10);
    QCOMPARE(frame->target()->metaObject()->className(), "attnscope::ui::PredictionsView");
    QVERIFY(lesson->captionText().contains(QStringLiteral("“animal”")));

    // The swap: "tired" becomes "wide", and the caption follows the new analysis to "road".
    lesson->next();
    QCOMPARE(lesson->step(), 11);
    QTRY_VERIFY(w.session()->result()->text.endsWith(QStringLiteral("wide.")));
    QTRY_VERIFY2(lesson->captionText().contains(QStringLiteral("“road”")), qPrintable(lesson->captionText()));
    QCOMPARE(w.viewState()->pinnedToken(), it);  // still "it"

    // In presentation mode the panel stays, its type grows, and the keys still step.
    const qreal before = lesson->font().pointSizeF();
    w.setPresentationMode(true);
    QTRY_VERIFY(lesson->font().pointSizeF() > before * 1.5);
    QVERIFY(lesson->isVisible());
    QTest::keyClick(QApplication::focusWidget() ? QApplication::focusWidget() : &w, Qt::Key_PageUp);
    QCOMPARE(lesson->step(), 10);
    lesson->setGlossaryVisible(true);
    QVERIFY(lesson->glossaryVisible());
    w.setPresentationMode(false);
    // Closed, Page Down is the next layer again.
    w.setLessonVisible(false);
    w.viewState()->setLayer(0);
    QTest::keyClick(&w, Qt::Key_PageDown);
    QCOMPARE(w.viewState()->layer(), 1);
    QVERIFY(!frame->isVisible());
}

QTEST_MAIN(TestLesson)
#include "tst_lesson.moc"
