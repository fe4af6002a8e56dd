#pragma once

#include "render/curve_painter.h"
#include "session/training_session.h"
#include "session/view_state.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace attnscope::ui {

class HeatmapView;

// Train a fresh teaching model inside the app and watch attention form: progress, loss and
// accuracy curves, and the chosen head's heatmap for a sentence, refreshed every few hundred steps.
class TrainView : public QWidget {
    Q_OBJECT

public:
    explicit TrainView(QWidget* parent = nullptr);
    TrainingSession* session() { return m_session; }
    void setSteps(int steps);
    void startTraining();
    QPushButton* cancelButton() const { return m_cancel; }

Q_SIGNALS:
    // The user chose to explore the trained model in the other views.
    void useModel(const QString& folder);

private:
    class CurvesWidget;
    void onProgress(int step, int steps, double loss, double accuracy, double seconds);
    void updateButtons();
    // Asks before throwing away trained steps (Cancel, or a new run over a paused one).
    bool confirmCancel();

    TrainingSession* m_session;
    ViewState* m_previewState;
    HeatmapView* m_preview;
    CurvesWidget* m_curves;
    QPushButton *m_start, *m_pause, *m_cancel, *m_save, *m_use;
    QSpinBox *m_steps, *m_layer, *m_head;
    QLineEdit* m_sentence;
    QProgressBar* m_progress;
    QLabel* m_status;
    std::vector<QPointF> m_loss, m_accuracy;
    bool m_finished = false;
};

}  // namespace attnscope::ui
