#pragma once

#include "session/analysis_result.h"
#include "session/view_state.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace attnscope::ui {

class HeadStatsModel;

// View > Analyses: the head table of the current input — every head's entropy, distance and
// weights on special tokens, itself, its neighbours (core/analysis/head_stats) — sortable by any
// column; a click focuses that head in every view. "Which heads make A attend to B": choose the two
// tokens (or pick them by clicking two chips) and the heads rank by that weight.
class AnalysesPanel : public QWidget {
    Q_OBJECT

public:
    explicit AnalysesPanel(ViewState* state, QWidget* parent = nullptr);
    void setResult(AnalysisResultPtr result);

    // The token pair (-1: none); sorted by its weight, strongest first.
    void setPair(int from, int to);
    HeadStatsModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    // The heads in the table's order (as sorted on screen): (layer, head).
    QList<QPair<int, int>> rowsInOrder() const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void recompute();
    void fillPairChoices();
    void pinChanged();
    void selectCurrentHead();
    QString tableText() const;  // tab-separated, as shown

    ViewState* m_state;
    AnalysisResultPtr m_result;
    AnalysisResultPtr m_computed;  // the result the table shows (computed lazily while visible)
    HeadStatsModel* m_model;
    QSortFilterProxyModel* m_sorted;
    QTableView* m_table;
    QComboBox* m_from;
    QComboBox* m_to;
    QToolButton* m_pick;
    QLabel* m_summary;
    int m_lastPin = -1;
    int m_picked = -1;  // pick mode: the first chip clicked
};

}  // namespace attnscope::ui
