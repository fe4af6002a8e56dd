#include "widgets/side_panels.h"

#include "widgets/ablation_panel.h"
#include "widgets/analyses_panel.h"
#include "widgets/predictions_view.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QTabWidget>

namespace attnscope::ui {
namespace {

QDockWidget* dock(QMainWindow* window, const QString& title, const QString& name, QWidget* content, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, window);
    d->setObjectName(name);  // saveState/restoreState key
    d->setWidget(content);
    window->addDockWidget(area, d);
    return d;
}

}  // namespace

SidePanels::SidePanels(QMainWindow* window, ViewState* state, const LessonHooks& hooks) : QObject(window) {
    m_predictions = new PredictionsView;
    m_predictionsDock = dock(window, tr("Predictions"), QStringLiteral("predictions"), m_predictions, Qt::RightDockWidgetArea);
    m_analyses = new AnalysesPanel(state);
    m_ablation = new AblationPanel(state);
    m_analysesTabs = new QTabWidget;
    m_analysesTabs->addTab(m_analyses, tr("Heads"));
    m_analysesTabs->addTab(m_ablation, tr("Ablation"));
    m_analysesDock = dock(window, tr("Analyses"), QStringLiteral("analyses"), m_analysesTabs, Qt::RightDockWidgetArea);
    window->tabifyDockWidget(m_predictionsDock, m_analysesDock);
    m_predictionsDock->raise();
    m_analysesDock->hide();  // View > Analyses Panel

    m_lesson = new LessonPanel(state, hooks);
    m_lessonDock = dock(window, tr("Lesson"), QStringLiteral("lesson"), m_lesson, Qt::LeftDockWidgetArea);
    m_lessonDock->hide();
    connect(m_lessonDock, &QDockWidget::visibilityChanged, m_lesson, &LessonPanel::setActive);
}

void SidePanels::setAnalysesVisible(bool on) {
    m_analysesDock->setVisible(on);
    if (on) m_analysesDock->raise();
}

void SidePanels::setLessonVisible(bool on) {
    m_lessonDock->setVisible(on);
    if (on) {
        m_lessonDock->raise();
        m_lesson->setFocus();
    }
}

}  // namespace attnscope::ui
