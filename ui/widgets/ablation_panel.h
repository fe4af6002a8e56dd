#pragma once

#include "session/analysis_result.h"
#include "session/view_state.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace attnscope::ui {

// Analyses > Ablation: a layer x head grid of switches. A head switched off has its context zeroed
// before the output projection and everything after it is recomputed; the Predictions panel then
// shows each token's probability before and after. The table of those changes can be exported.
class AblationPanel : public QWidget {
    Q_OBJECT

public:
    explicit AblationPanel(ViewState* state, QWidget* parent = nullptr);
    void setResult(AnalysisResultPtr result);
    QTableWidget* grid() const { return m_grid; }
    QString summary() const;

    // The predictions with heads off as CSV: position, token, rank, candidate, probability with
    // every head on, probability with the heads off, the change; a header line names the heads.
    static QString predictionsCsv(const AnalysisResult& result);

Q_SIGNALS:
    void exportFailed(const QString& message);

private:
    void rebuild();
    void sync();
    void exportTable();

    ViewState* m_state;
    AnalysisResultPtr m_result;
    QTableWidget* m_grid;
    QLabel* m_summary;
    QPushButton* m_focused;
    QPushButton* m_clear;
    QPushButton* m_export;
    int m_layers = 0, m_heads = 0;
};

}  // namespace attnscope::ui
