// The teaching model in the main window (issue 13): it opens on its coreference head with the
// referent named in the Links caption; Ctrl+T and the Examples menu flip minimal pairs; a sentence
// outside what it learned is said so in the caption and the predictions panel, never as an answer.
#include "model/builtin_models.h"
#include "model/minimal_pairs.h"
#include "render/view_specs.h"
#include "widgets/main_window.h"
#include "widgets/predictions_view.h"
#include "widgets/sentence_bar.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace attnscope::ui;
using attnscope::core::ReferentReading;

namespace {

// Whether the predictions panel draws probability bars (their colour anywhere in its picture).
bool hasBars(PredictionsView& view) {
    const QImage shot = view.grab().toImage();
    for (int y = 0; y < shot.height(); ++y)
        for (int x = 0; x < shot.width(); ++x)
            if (shot.pixelColor(x, y) == QColor(68, 119, 170)) return true;
    return false;
}

}  // namespace

class TestTeachingGui : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void opensOnTheCoreferenceHead();
    void swapKeyFlipsTheReferent();
    void examplesMenuHoldsTheMinimalPairs();
    void outsideWhatItLearnedIsSaidPlainly_data();
    void outsideWhatItLearnedIsSaidPlainly();

private:
    AnalysisResultPtr waitForText(const QString& text);
    LinksSpec links();
    std::unique_ptr<MainWindow> m_window;
};

void TestTeachingGui::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("AttnScopeTests"));
    QStandardPaths::setTestModeEnabled(true);
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 900);
    m_window->show();
    QSignalSpy ready(m_window->session(), &AnalysisSession::resultReady);
    m_window->openBuiltinModel();
    QVERIFY(ready.wait(10000));
}

AnalysisResultPtr TestTeachingGui::waitForText(const QString& text) {
    // Null when the analysis never arrives; callers dereference, so the test stops there loudly.
    const bool arrived = QTest::qWaitFor([&] {
        return m_window->session()->result() && m_window->session()->result()->text == text;
    }, 10000);
    if (!arrived) qFatal("no analysis of \"%s\" within 10 s", qPrintable(text));
    return m_window->session()->result();
}

LinksSpec TestTeachingGui::links() {
    AttentionMatrix matrix;
    return linksSpec(*m_window->session()->result(), *m_window->viewState(), FigureStyle{}, matrix);
}

void TestTeachingGui::opensOnTheCoreferenceHead() {
    const auto r = waitForText(attnscope::core::defaultSentence());
    const auto head = *m_window->session()->model()->config().coreferenceHead;
    QCOMPARE(m_window->viewState()->layer(), head.first);
    QCOMPARE(m_window->viewState()->head(), head.second);
    const ReferentReading* reading = r->referentFor(-1);
    QVERIFY(reading);
    QCOMPARE(int(reading->kind), int(ReferentReading::Kind::Resolved));
    QCOMPARE(r->labels.value(reading->peak), QStringLiteral("animal"));
    const LinksSpec spec = links();
    QVERIFY2(spec.caption.startsWith(QStringLiteral("“it” → “animal”")), qPrintable(spec.caption));
    QVERIFY(!spec.captionWarning);
    QVERIFY(hasBars(*m_window->findChild<PredictionsView*>()));  // a trusted answer: the bars show
}

void TestTeachingGui::swapKeyFlipsTheReferent() {
    m_window->setText(attnscope::core::defaultSentence());
    waitForText(attnscope::core::defaultSentence());
    auto* bar = m_window->findChild<SentenceBar*>();
    QVERIFY(bar);
    QCOMPARE(bar->swapAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+T")));
    QVERIFY(m_window->actions().contains(bar->swapAction()));  // works while the bar is hidden (presentation mode)
    bar->swapAction()->trigger();
    const auto r = waitForText(attnscope::core::defaultSentenceTwin());
    QCOMPARE(r->labels.value(r->referentFor(-1)->peak), QStringLiteral("road"));
    QVERIFY(links().caption.contains(QStringLiteral("“road”")));
    bar->swapAction()->trigger();
    waitForText(attnscope::core::defaultSentence());
    // Nothing to swap: the action is off.
    m_window->setText(QStringLiteral("Nothing here flips."));
    QVERIFY(!bar->swapAction()->isEnabled());
}

void TestTeachingGui::examplesMenuHoldsTheMinimalPairs() {
    auto* bar = m_window->findChild<SentenceBar*>();
    QList<QMenu*> pairs;
    for (QAction* a : bar->examplesMenu()->actions())
        if (a->menu()) pairs << a->menu();
    QVERIFY(pairs.size() >= 12);
    QCOMPARE(pairs.size(), int(attnscope::core::minimalPairs().size()));
    // The second pair's second sentence: chosen from the menu, analysed at once, referent as promised.
    const attnscope::core::MinimalPair& pair = attnscope::core::minimalPairs()[1];
    QCOMPARE(pairs[1]->actions().size(), 2);
    pairs[1]->actions()[1]->trigger();
    const auto r = waitForText(pair.second);
    QCOMPARE(bar->text(), pair.second);
    QCOMPARE(r->labels.value(r->referentFor(-1)->peak), pair.secondReferent);
}

void TestTeachingGui::outsideWhatItLearnedIsSaidPlainly_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("caption");
    QTest::newRow("unseen word") << "The accountant didn't cross the road because it was tired."
                                 << "Outside what this model learned: it never saw “accountant”";
    QTest::newRow("no pronoun") << "The animal crossed the road." << "No pronoun to resolve";
}

void TestTeachingGui::outsideWhatItLearnedIsSaidPlainly() {
    QFETCH(QString, text);
    QFETCH(QString, caption);
    m_window->setText(text);
    const auto r = waitForText(text);
    QVERIFY(!r->referentFor(-1)->trusted());
    const LinksSpec spec = links();
    QVERIFY2(spec.caption.startsWith(caption), qPrintable(spec.caption));
    QVERIFY(spec.captionWarning);
    // The predictions panel says the same and shows no bars.
    QVERIFY(!hasBars(*m_window->findChild<PredictionsView*>()));
}

QTEST_MAIN(TestTeachingGui)
#include "tst_teaching_gui.moc"
