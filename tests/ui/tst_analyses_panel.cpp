// The Analyses panel's head table: every head listed, a click focuses it, the pair search ranks
// heads by how much one token attends to another (chosen or picked from two chips).
#include "session/analysis_session.h"
#include "test_paths.h"
#include "widgets/analyses_panel.h"
#include "widgets/head_stats_model.h"

#include <QAbstractItemModel>
#include <QItemSelectionModel>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace attnscope::ui;

class TestAnalysesPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listsEveryHeadAndFocusesOnClick();
    void pairRanksHeads();
    void pairPickedFromTwoChips();
    void computedOnlyWhenShown();

private:
    AnalysisResultPtr m_result;
};

void TestAnalysesPanel::initTestCase() {
    auto model = attnscope::core::loadModelFolder(attnscope::test::modelFixture(QStringLiteral("bert")));
    QVERIFY(model);
    auto result = runAnalysis(*model, QStringLiteral("the animal didn't cross the road because it was tired"), false);
    QVERIFY(result);
    m_result = *result;
}

void TestAnalysesPanel::listsEveryHeadAndFocusesOnClick() {
    ViewState state;
    state.setResult(m_result);
    AnalysesPanel panel(&state);
    panel.resize(700, 500);
    panel.show();
    panel.setResult(m_result);
    QCOMPARE(panel.model()->rowCount(), 2 * 4);
    QTableView* table = panel.table();
    // Sorted by entropy, lowest first: the sharpest head on top.
    const int entropy = panel.model()->columnOf(QStringLiteral("entropy"));
    table->sortByColumn(entropy, Qt::AscendingOrder);
    const auto rows = panel.rowsInOrder();
    double previous = -1;
    for (const auto& [layer, head] : rows) {
        for (const auto& s : panel.model()->stats())
            if (s.layer == layer && s.head == head) {
                QVERIFY(s.entropy >= previous);
                previous = s.entropy;
            }
    }
    const QModelIndex third = table->model()->index(2, 0);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(third).center());
    QCOMPARE(int(state.headMode()), int(HeadMode::Single));
    QCOMPARE(state.layer(), rows[2].first);
    QCOMPARE(state.head(), rows[2].second);
    // The head shown in the views is the selected row, also when chosen elsewhere.
    state.setLayer(1);
    state.setHead(3);
    const QModelIndex current = table->selectionModel()->selectedRows().value(0);
    QVERIFY(current.isValid());
    QCOMPARE(panel.rowsInOrder()[current.row()], qMakePair(1, 3));
    state.setHeadMode(HeadMode::Average);
    QVERIFY(table->selectionModel()->selectedRows().isEmpty());
}

void TestAnalysesPanel::pairRanksHeads() {
    ViewState state;
    state.setResult(m_result);
    AnalysesPanel panel(&state);
    panel.show();
    panel.setResult(m_result);
    panel.setPair(8, 2);  // "it" -> "animal"
    QVERIFY(panel.model()->hasPair());
    const auto rows = panel.rowsInOrder();
    double previous = 2;
    for (const auto& [layer, head] : rows) {
        const double w = m_result->trace->head(layer, head).prob(8, 2);
        QVERIFY(w <= previous + 1e-12);
        previous = w;
    }
    panel.setPair(-1, -1);
    QVERIFY(!panel.model()->hasPair());
}

void TestAnalysesPanel::pairPickedFromTwoChips() {
    ViewState state;
    state.setResult(m_result);
    AnalysesPanel panel(&state);
    panel.show();
    panel.setResult(m_result);
    QToolButton* pick = nullptr;
    for (QToolButton* b : panel.findChildren<QToolButton*>())
        if (b->text().contains(QStringLiteral("Pick"))) pick = b;
    QVERIFY(pick);
    pick->click();
    state.setPinnedToken(8);  // the query
    QVERIFY(!panel.model()->hasPair());
    state.setPinnedToken(5);  // the key
    QVERIFY(panel.model()->hasPair());
    QVERIFY(!pick->isChecked());
    const auto& s = panel.model()->stats().front();
    QCOMPARE(*s.fromTo, double(m_result->trace->head(s.layer, s.head).prob(8, 5)));
}

void TestAnalysesPanel::computedOnlyWhenShown() {
    ViewState state;
    AnalysesPanel panel(&state);
    panel.setResult(m_result);  // hidden: nothing computed yet
    QCOMPARE(panel.model()->rowCount(), 0);
    panel.show();
    QCOMPARE(panel.model()->rowCount(), 8);
}

QTEST_MAIN(TestAnalysesPanel)
#include "tst_analyses_panel.moc"
