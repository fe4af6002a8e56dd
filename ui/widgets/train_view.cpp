#include "widgets/train_view.h"

#include "model/builtin_models.h"
#include "widgets/file_dialogs.h"
#include "widgets/heatmap_view.h"

#include <QDateTime>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace attnscope::ui {

class TrainView::CurvesWidget : public QWidget {
public:
    explicit CurvesWidget(TrainView* view) : m_view(view) { setMinimumSize(300, 200); }
    int steps = 6000;

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.fillRect(rect(), palette().color(QPalette::Base));
        paintCurves(p, QRectF(rect()).adjusted(8, 8, -8, -8),
                    {{tr("loss"), QColor(0xEE, 0x66, 0x77), m_view->m_loss, 0, 0},
                     {tr("referent accuracy"), QColor(0x44, 0x77, 0xAA), m_view->m_accuracy, 0, 1}},
                    steps, tr("steps"), font(), palette().color(QPalette::WindowText));
    }

private:
    TrainView* m_view;
};

TrainView::TrainView(QWidget* parent) : QWidget(parent), m_session(new TrainingSession(this)), m_previewState(new ViewState(this)) {
    auto* layout = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    m_start = new QPushButton(tr("Train from scratch"));
    m_pause = new QPushButton(tr("Pause"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_save = new QPushButton(tr("Save…"));
    m_use = new QPushButton(tr("Explore this model"));
    const core::train::TeachingOptions quick = core::train::TeachingOptions::quick();
    m_steps = new QSpinBox;
    m_steps->setRange(100, 100000);
    m_steps->setSingleStep(500);
    m_steps->setValue(quick.steps);
    m_steps->setSuffix(tr(" steps"));
    controls->addWidget(m_start);
    controls->addWidget(m_steps);
    controls->addWidget(m_pause);
    controls->addWidget(m_cancel);
    controls->addWidget(m_save);
    controls->addWidget(m_use);
    controls->addStretch();
    layout->addLayout(controls);
    m_progress = new QProgressBar;
    m_status = new QLabel(tr("A small BERT (%1 layers x %2 heads, bert-base-uncased's vocabulary) learns from generated sentences "
                             "which noun a pronoun refers to; layer %3, head %4 is asked to look from the pronoun at it. Watch "
                             "the heatmap: the pronoun's row sharpens onto its referent.")
                              .arg(quick.model.layers)
                              .arg(quick.model.heads)
                              .arg(quick.attendLayer)
                              .arg(quick.attendHead));
    m_status->setWordWrap(true);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);

    auto* previewControls = new QHBoxLayout;
    m_sentence = new QLineEdit(core::defaultSentence());
    m_layer = new QSpinBox;
    m_layer->setRange(0, quick.model.layers - 1);
    m_layer->setValue(quick.attendLayer);
    m_head = new QSpinBox;
    m_head->setRange(0, quick.model.heads - 1);
    m_head->setValue(quick.attendHead);
    previewControls->addWidget(new QLabel(tr("Sentence")));
    previewControls->addWidget(m_sentence, 1);
    previewControls->addWidget(new QLabel(tr("Layer")));
    previewControls->addWidget(m_layer);
    previewControls->addWidget(new QLabel(tr("Head")));
    previewControls->addWidget(m_head);
    layout->addLayout(previewControls);

    auto* split = new QSplitter;
    m_curves = new CurvesWidget(this);
    m_preview = new HeatmapView(m_previewState);
    split->addWidget(m_curves);
    split->addWidget(m_preview);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    m_previewState->setLimits(3, 4, 0);
    m_previewState->setLayer(1);
    connect(m_layer, &QSpinBox::valueChanged, m_previewState, &ViewState::setLayer);
    connect(m_head, &QSpinBox::valueChanged, m_previewState, &ViewState::setHead);
    connect(m_sentence, &QLineEdit::textChanged, m_session, &TrainingSession::setSentence);
    connect(m_start, &QPushButton::clicked, this, [this] {
        if (m_session->isPaused() && !confirmCancel()) return;
        startTraining();
    });
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_session->isPaused()) m_session->resume();
        else m_session->pause();
        updateButtons();
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (!confirmCancel()) return;
        m_session->cancel();
        m_status->setText(tr("Cancelled."));
        updateButtons();
    });
    connect(m_save, &QPushButton::clicked, this, [this] {
        const QString dir = askFolder(this, tr("Save the trained model into"), QStringLiteral("trained"));
        if (!dir.isEmpty()) m_session->save(dir);
    });
    connect(m_use, &QPushButton::clicked, this, [this] {
        const QString dir = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                                .filePath(QStringLiteral("trained/teaching-%1").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
        m_session->save(dir);
        connect(m_session, &TrainingSession::saved, this, [this](const QString& folder) { Q_EMIT useModel(folder); },
                Qt::SingleShotConnection);
    });
    connect(m_session, &TrainingSession::progress, this, &TrainView::onProgress);
    connect(m_session, &TrainingSession::preview, this, [this](AnalysisResultPtr r, int step) {
        m_previewState->setLimits(r->trace->layers(), r->trace->heads(), r->trace->tokens());
        const int it = r->encoding.tokens.indexOf(QStringLiteral("it"));
        m_previewState->setPinnedToken(it);
        m_preview->setResult(r);
        m_preview->setToolTip(tr("after %1 steps").arg(step));
    });
    connect(m_session, &TrainingSession::pausedChanged, this, [this](bool paused) {
        if (paused) m_status->setText(tr("Paused. Resume, save, or explore the model as it is now."));
        updateButtons();
    });
    connect(m_session, &TrainingSession::finished, this, [this](double acc, int layer, int head, double headAcc) {
        m_finished = true;
        m_status->setText(tr("Done. Held-out referent accuracy %1%; in layer %2, head %3 the pronoun's attention peaks on its referent "
                             "in %4% of held-out sentences.")
                              .arg(acc * 100, 0, 'f', 1)
                              .arg(layer)
                              .arg(head)
                              .arg(headAcc * 100, 0, 'f', 1));
        m_layer->setValue(layer);
        m_head->setValue(head);
        updateButtons();
    });
    connect(m_session, &TrainingSession::saved, this, [this](const QString& folder) { m_status->setText(tr("Saved to %1").arg(folder)); });
    connect(m_session, &TrainingSession::failed, this, [this](const QString& message) { m_status->setText(message); });
    updateButtons();
}

void TrainView::setSteps(int steps) { m_steps->setValue(steps); }

bool TrainView::confirmCancel() {
    const int done = m_loss.empty() ? 0 : int(m_loss.back().x());
    if (done == 0) return true;  // nothing learned yet: nothing to lose
    QMessageBox box(QMessageBox::Question, tr("Cancel training"),
                    tr("Discard the model trained so far (%1 steps)? Pause keeps it to save or explore.").arg(done), QMessageBox::NoButton, this);
    QPushButton* discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
    QPushButton* keep = box.addButton(tr("Keep Training"), QMessageBox::RejectRole);
    box.setDefaultButton(keep);
    box.setObjectName(QStringLiteral("cancelTrainingBox"));
    box.exec();
    return box.clickedButton() == discard;
}

void TrainView::startTraining() {
    m_loss.clear();
    m_accuracy.clear();
    m_finished = false;
    core::train::TeachingOptions options = core::train::TeachingOptions::quick();  // about a minute
    options.steps = m_steps->value();
    options.seed = uint32_t(QDateTime::currentMSecsSinceEpoch() & 0x7fffffff);
    m_curves->steps = options.steps;
    m_progress->setRange(0, options.steps);
    m_progress->setValue(0);
    m_session->setPreviewEvery(std::max(50, options.steps / 30));
    m_session->start(options, m_sentence->text());
    m_status->setText(tr("Training…"));
    updateButtons();
}

void TrainView::onProgress(int step, int steps, double loss, double accuracy, double seconds) {
    m_loss.emplace_back(step, loss);
    m_accuracy.emplace_back(step, accuracy);
    m_progress->setValue(step);
    if (!m_session->isPaused())
        m_status->setText(tr("Step %1 of %2 · loss %3 · %4 s").arg(step).arg(steps).arg(loss, 0, 'f', 3).arg(seconds, 0, 'f', 0));
    m_curves->update();
}

void TrainView::updateButtons() {
    const bool running = m_session->running();
    m_start->setEnabled(!running || m_session->isPaused());
    m_pause->setEnabled(running);
    m_pause->setText(m_session->isPaused() ? tr("Resume") : tr("Pause"));
    m_cancel->setEnabled(running);
    m_save->setEnabled(m_finished || m_session->isPaused());
    m_use->setEnabled(m_finished || m_session->isPaused());
}

}  // namespace attnscope::ui
