// The research views in the window: value-weighted weights, ablation with before/after
// predictions and its table, the aggregate view scrubbed by layer, the logit lens computed while
// its tab is shown, Compare on the tired/wide pair, the query-key space, and sessions keeping them.
#include "test_paths.h"
#include "widgets/ablation_panel.h"
#include "widgets/aggregate_page.h"
#include "widgets/aggregate_view.h"
#include "widgets/compare_page.h"
#include "widgets/compare_view.h"
#include "widgets/lens_view.h"
#include "widgets/main_window.h"
#include "widgets/qk_space_view.h"

#include <QApplication>
#include <QComboBox>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace attnscope::ui;

namespace {

const QString kTired = QStringLiteral("The animal didn't cross the road because it was tired.");
const QString kWide = QStringLiteral("The animal didn't cross the road because it was wide.");

// Waits until the session's result satisfies `done`.
bool waitFor(MainWindow& w, const std::function<bool(const AnalysisResult&)>& done) {
    for (int i = 0; i < 100; ++i) {
        if (w.session()->result() && !w.session()->busy() && done(*w.session()->result())) return true;
        QSignalSpy ready(w.session(), &AnalysisSession::resultReady);
        ready.wait(100);
    }
    return false;
}

}  // namespace

class TestResearchViews : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void valueWeightedWeights();
    void ablationBeforeAfter();
    void aggregateScrubsLayers();
    void lensWhileShown();
    void compareTiredWide();
    void queryKeySpace();
    void sessionKeepsTheSettings();

private:
    std::unique_ptr<MainWindow> m_w;
};

void TestResearchViews::initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("AttnScopeTests"));
    QStandardPaths::setTestModeEnabled(true);
}

void TestResearchViews::init() {
    m_w = std::make_unique<MainWindow>();
    m_w->resize(1400, 900);
    m_w->show();
    m_w->openBuiltinModel();
    QVERIFY(waitFor(*m_w, [](const AnalysisResult& r) { return r.text.contains(QStringLiteral("tired")); }));
}

void TestResearchViews::valueWeightedWeights() {
    MainWindow& w = *m_w;
    auto* weights = w.findChildren<QComboBox*>().at(0);
    for (QComboBox* c : w.findChildren<QComboBox*>())
        if (c->itemText(1) == QStringLiteral("Value-weighted norms")) weights = c;
    weights->setCurrentIndex(1);
    QVERIFY(waitFor(w, [](const AnalysisResult& r) { return r.valueWeighted; }));
    const auto& t = *w.session()->result()->trace;
    QVERIFY(t.hasValueNorms());
    double sum = 0;
    for (int j = 0; j < t.tokens(); ++j) sum += t.head(2, 0).prob(5, j);
    QVERIFY(std::abs(sum - 1) < 1e-5);  // rows are shares
    QVERIFY(w.viewState()->valueWeighted());
    weights->setCurrentIndex(0);
    QVERIFY(waitFor(w, [](const AnalysisResult& r) { return !r.valueWeighted && !r.trace->hasValueNorms(); }));
}

void TestResearchViews::ablationBeforeAfter() {
    MainWindow& w = *m_w;
    w.setAnalysesVisible(true);
    AblationPanel* panel = w.ablation();
    QCOMPARE(panel->grid()->rowCount(), 4);
    QCOMPARE(panel->grid()->columnCount(), 4);
    // Click the coreference head (layer 2, head 0) off.
    const QRect cell = panel->grid()->visualItemRect(panel->grid()->item(2, 0));
    w.analysesTabs()->setCurrentWidget(panel);
    QTest::mouseClick(panel->grid()->viewport(), Qt::LeftButton, {}, cell.center());
    QVERIFY(w.viewState()->isAblated(2, 0));
    QVERIFY(waitFor(w, [](const AnalysisResult& r) { return r.ablated.size() == 1; }));
    const AnalysisResult& r = *w.session()->result();
    bool compared = false;
    for (const PositionPredictions& pp : r.perToken)
        if (!pp.top.empty()) {
            QCOMPARE(pp.before.size(), pp.top.size());
            compared = true;
        }
    QVERIFY(compared);
    QVERIFY(panel->grid()->item(2, 0)->text() == QStringLiteral("off"));
    QVERIFY(panel->summary().contains(QStringLiteral("1 head")));
    // The pronoun's reading changes without its head.
    w.viewState()->setAblated({});
    QVERIFY(waitFor(w, [](const AnalysisResult& x) { return x.ablated.empty(); }));
}

void TestResearchViews::aggregateScrubsLayers() {
    MainWindow& w = *m_w;
    w.showView(QStringLiteral("aggregate"));
    QCOMPARE(w.currentFigure()->figureName(), QStringLiteral("aggregate"));
    auto* page = w.findChild<AggregatePage*>();
    page->layerSlider()->setValue(3);
    QCOMPARE(w.viewState()->layer(), 3);
    w.viewState()->setAggregate(AggregateMode::Rollout);
    AggregateCache cache;
    const FigureStyle style;
    const HeatmapSpec spec = aggregateSpec(*w.session()->result(), *w.viewState(), style, cache);
    QVERIFY(spec.title.startsWith(QStringLiteral("Rollout through layers 0–3")));
    const int n = spec.n;
    for (int i = 0; i < n; ++i) {  // rollout rows stay distributions
        double sum = 0;
        for (int j = 0; j < n; ++j) sum += spec.values[i * n + j];
        QVERIFY(std::abs(sum - 1) < 1e-4);
    }
    QImage image(800, 700, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    w.currentFigure()->paintFigure(p, QRectF(0, 0, 800, 700), style);
    p.end();
    QVERIFY(image.pixel(400, 400) != qRgb(255, 255, 255));
}

void TestResearchViews::lensWhileShown() {
    MainWindow& w = *m_w;
    QVERIFY(!w.session()->result()->lens);  // not computed while hidden
    w.showView(QStringLiteral("lens"));
    QVERIFY(waitFor(w, [](const AnalysisResult& r) { return r.lens != nullptr; }));
    auto* view = w.findChild<LensView*>();
    QVERIFY(view->hasFigure());
    const auto& lens = *w.session()->result()->lens;
    QCOMPARE(lens.layers, 5);
    QCOMPARE(int(w.session()->result()->lensTexts.size()), lens.layers * lens.tokens * lens.k);
    w.viewState()->setPinnedToken(10);
    const LensLayout layout = lensLayout(QRectF(view->rect()).adjusted(8, 8, -8, -8), lensSpec(*w.session()->result(), *w.viewState(), view->figureStyle()));
    const QString text = view->cellText(layout.grid.center());
    QVERIFY2(text.contains(QStringLiteral("%")), qPrintable(text));
    w.showView(QStringLiteral("heatmap"));
    QVERIFY(waitFor(w, [](const AnalysisResult& r) { return r.lens == nullptr; }));
}

void TestResearchViews::compareTiredWide() {
    MainWindow& w = *m_w;
    w.showView(QStringLiteral("compare"));
    ComparePage* page = w.comparePage();
    QSignalSpy compared(page, &ComparePage::compared);
    page->findChild<QPushButton*>()->click();  // the tired / wide button
    QCOMPARE(page->textB(), kWide);
    QVERIFY(compared.wait(5000));
    const auto* c = page->view()->comparison();
    QVERIFY(c);
    QCOMPARE(c->layer, 2);
    QCOMPARE(c->head, 0);
    const int it = int(c->tokensA.indexOf(QStringLiteral("it")));
    const int road = int(c->tokensA.indexOf(QStringLiteral("road")));
    QVERIFY(c->diff[size_t(it * c->size() + road)] > 0.3f);
    QVERIFY(page->view()->hasFigure());
    // Following the current head instead.
    page->setFollowsCurrentHead(true);
    w.viewState()->setLayer(0);
    QCOMPARE(page->view()->comparison()->layer, 0);
    // A longer B: aligned by the common tokens, with gaps.
    compared.clear();
    page->setTextB(QStringLiteral("The animal didn't cross the wide road because it was tired."));
    QVERIFY(compared.wait(5000));
    QCOMPARE(page->view()->comparison()->size(), int(page->view()->comparison()->tokensB.size()));
}

void TestResearchViews::queryKeySpace() {
    MainWindow& w = *m_w;
    w.showView(QStringLiteral("qkspace"));
    auto* view = w.findChild<QkSpaceView*>();
    QTRY_VERIFY(view->hasFigure());
    // Hover every pixel row until a point is found; its token is hovered in every view.
    int found = -1;
    for (int y = 0; y < view->height() && found < 0; y += 3)
        for (int x = 0; x < view->width() && found < 0; x += 3) found = view->pointAt(QPointF(x, y)) >= 0 ? y * 10000 + x : -1;
    QVERIFY(found >= 0);
    QTest::mouseMove(view, QPoint(found % 10000, found / 10000));
    QVERIFY(w.viewState()->hoveredToken() >= 0);
    QSignalSpy projected(view, &QkSpaceView::projected);
    w.viewState()->setQkProjection(QkProjection::Tsne);
    QVERIFY(projected.wait(10000));
    QVERIFY(view->hasFigure());
}

void TestResearchViews::sessionKeepsTheSettings() {
    MainWindow& w = *m_w;
    w.viewState()->setAblated({{1, 2}, {3, 0}});
    w.viewState()->setValueWeighted(true);
    QVERIFY(waitFor(w, [](const AnalysisResult& r) { return r.valueWeighted && r.ablated.size() == 2; }));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s.attnscope"));
    QVERIFY(saveSession(path, w.currentSession()));
    MainWindow other;
    other.show();
    other.openSession(path);
    QVERIFY(waitFor(other, [](const AnalysisResult& r) { return r.valueWeighted && r.ablated.size() == 2; }));
    QVERIFY(other.viewState()->isAblated(3, 0));
}

QTEST_MAIN(TestResearchViews)
#include "tst_research_views.moc"
