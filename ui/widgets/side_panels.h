#pragma once

#include "widgets/lesson_panel.h"

#include <QObject>

class QDockWidget;
class QMainWindow;
class QTabWidget;

namespace attnscope::ui {

class AblationPanel;
class AnalysesPanel;
class PredictionsView;
class ViewState;

// The docks beside the views: Predictions and Analyses (the heads' table, ablation) tabbed on the
// right, Predictions in front and Analyses hidden until asked for; the Lesson on the left, hidden
// until Help > Lesson. The window composes them; the panels observe the view state.
class SidePanels : public QObject {
    Q_OBJECT

public:
    SidePanels(QMainWindow* window, ViewState* state, const LessonHooks& hooks);

    PredictionsView* predictions() const { return m_predictions; }
    AnalysesPanel* analyses() const { return m_analyses; }
    AblationPanel* ablation() const { return m_ablation; }
    QTabWidget* analysesTabs() const { return m_analysesTabs; }
    LessonPanel* lesson() const { return m_lesson; }
    QDockWidget* predictionsDock() const { return m_predictionsDock; }
    QDockWidget* analysesDock() const { return m_analysesDock; }
    QDockWidget* lessonDock() const { return m_lessonDock; }

    void setAnalysesVisible(bool on);  // shown and raised, or hidden
    void setLessonVisible(bool on);    // shown with the keyboard focus, or hidden

private:
    PredictionsView* m_predictions;
    QDockWidget* m_predictionsDock;
    AnalysesPanel* m_analyses;
    AblationPanel* m_ablation;
    QTabWidget* m_analysesTabs;
    QDockWidget* m_analysesDock;
    LessonPanel* m_lesson;
    QDockWidget* m_lessonDock;
};

}  // namespace attnscope::ui
