#pragma once

#include "session/analysis_session.h"
#include "session/view_state.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace attnscope::ui {

class CompareView;

// The Compare tab: input A is the sentence being analysed, input B is typed here (or the
// minimal pair's other sentence, one click away). B runs on a worker thread with the same model
// and settings; the difference heatmap shows the head that changes most, or the current one.
// When A is a trace file, B is another trace file of the same model (Open Trace B…).
class ComparePage : public QWidget {
    Q_OBJECT

public:
    explicit ComparePage(ViewState* state, QWidget* parent = nullptr);
    void setModel(LoadedModelPtr model);
    void setResult(AnalysisResultPtr result);  // input A
    void setTextB(const QString& text);
    // Opens a trace file as B (on a worker thread; A must be a trace file of the same model).
    void openTraceB(const QString& path);
    QString textB() const;
    CompareView* view() const { return m_view; }
    bool followsCurrentHead() const;
    void setFollowsCurrentHead(bool on);
    // Whether B's analysis is running.
    bool busy() const { return m_running > 0; }

Q_SIGNALS:
    // Load this sentence as input A (the window's sentence).
    void textARequested(const QString& text);
    void compared();  // a new comparison (or message) is shown

private:
    void loadPair();
    void analyseB();
    void finished(quint64 generation, AnalysisResultPtr result, const QString& error);
    void recompare();
    void setTraceMode(bool on);

    ViewState* m_state;
    LoadedModelPtr m_model;
    AnalysisResultPtr m_a, m_b;
    QLineEdit* m_textB;
    QPushButton* m_pair;
    QPushButton* m_traceB;
    QLabel* m_label;
    bool m_traceMode = false;
    QComboBox* m_head;
    QLabel* m_status;
    CompareView* m_view;
    QTimer m_debounce;
    quint64 m_generation = 0;
    int m_running = 0;
};

}  // namespace attnscope::ui
