#include "widgets/main_window.h"

#include "trace/trace_file.h"

#include "widgets/ablation_panel.h"
#include "widgets/compare_page.h"
#include "widgets/display_modes.h"
#include "widgets/analyses_panel.h"
#include "widgets/session_status.h"
#include "widgets/empty_model_page.h"
#include "widgets/recent_models_menu.h"
#include "widgets/sentence_bar.h"
#include "widgets/sentence_edit.h"
#include "widgets/session_restorer.h"
#include "widgets/shortcut_filter.h"
#include "widgets/side_panels.h"
#include "widgets/window_geometry.h"
#include "widgets/view_controls.h"
#include "widgets/hub_dialog.h"

#include "export/figure_export.h"
#include "model/builtin_models.h"
#include "export/view_export.h"
#include "session/image_analysis.h"
#include "session/image_input.h"
#include "widgets/export_actions.h"
#include "widgets/file_dialogs.h"
#include "widgets/heatmap_view.h"
#include "widgets/image_input_bar.h"
#include "widgets/image_view.h"
#include "widgets/lesson_panel.h"
#include "widgets/links_view.h"
#include "widgets/main_menus.h"
#include "widgets/model_grid_view.h"
#include "widgets/predictions_view.h"
#include "widgets/qkv_view.h"
#include "widgets/train_view.h"
#include "widgets/token_bar.h"
#include "widgets/view_tabs.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QDialog>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace attnscope::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_session(new AnalysisSession(this)), m_state(new ViewState(this)) {
    setWindowTitle(QStringLiteral("AttnScope"));
    buildUi();
    m_sessions = new SessionRestorer({m_session, m_state, m_sentence, m_qkv, m_tabs, [this](const QString& f) { openModel(f); },
                                      [this](const QString& p) { openImage(p); }, [this](const QString& f) { return isOpen(f); }},
                                     this);
    m_exports = new ExportActions(this, m_session, m_state, [this] { return currentFigure(); }, m_image);
    connect(m_exports, &ExportActions::failed, this, &MainWindow::showError);
    connect(m_exports, &ExportActions::done, this, [this](const QString& message, int ms) { statusBar()->showMessage(message, ms); });
    buildMenus();
    // The window's shortcuts (Ctrl+E, Ctrl+Left/Right, Page Up/Down...) work while typing too.
    m_sentence->edit()->installEventFilter(new ShortcutFilter(this, this));
    connect(m_session, &AnalysisSession::resultReady, this, &MainWindow::onResult);
    connect(m_session, &AnalysisSession::analysisFailed, this, &MainWindow::showError);
    connect(m_session, &AnalysisSession::imageFailed, this, &MainWindow::showError);
    connect(m_session, &AnalysisSession::imageOpened, this, [this](const QString& path) {
        showError(QString());
        m_imageRow->setImageName(QFileInfo(path).fileName());
    });
    connect(m_session, &AnalysisSession::modelChanged, this, &MainWindow::onModelChanged);
    connect(m_session, &AnalysisSession::traceOpened, this, &MainWindow::onTraceOpened);
    connect(m_session, &AnalysisSession::traceFailed, this, [this](const QString& message) {
        showError(tr("Could not open the trace: %1").arg(message));
    });
    connect(m_state, &ViewState::settingsChanged, this, &MainWindow::updateSettings);
    connect(m_session, &AnalysisSession::modelFailed, this, [this](const QString& message) {
        showError(tr("Could not open the model: %1").arg(message));
        if (!m_session->model()) m_empty->setMessage(tr("<h2>Could not open that model</h2><p>%1</p><p>Open a folder that holds "
                                                         "config.json, model.safetensors and the tokenizer files.</p>")
                                                          .arg(message.toHtmlEscaped()));
    });
    connect(m_state, &ViewState::focusChanged, this, [this] { m_panels->predictions()->setFocusToken(m_state->focusToken()); });
    resize(1400, 900);
    fitWindowToScreen(this);
    const QSettings settings;
    restoreViewSettings(settings, m_state);
    m_modes->restore(settings);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    saveViewSettings(*m_state, &settings);
    m_modes->save(&settings);
    QMainWindow::closeEvent(event);
}

void MainWindow::buildUi() {
    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);

    m_sentence = new SentenceBar;
    connect(m_sentence, &SentenceBar::textEdited, m_session, &AnalysisSession::setText);
    connect(m_sentence, &SentenceBar::chosen, this, [this](const QString& t) {
        m_session->setText(t);
        m_session->analyzeNow(t);
    });
    layout->addWidget(m_sentence);

    // Image models: the picture's name and the ways to change it instead of the sentence bar.
    m_imageRow = new ImageInputBar;
    connect(m_imageRow, &ImageInputBar::openRequested, this, &MainWindow::openImage);
    m_imageRow->hide();
    layout->addWidget(m_imageRow);
    setAcceptDrops(true);

    m_error = new QLabel;
    m_error->setStyleSheet(QStringLiteral("color: #b02818;"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);

    m_tokens = new TokenBar(m_state);
    layout->addWidget(m_tokens);

    m_controls = new ViewControls(m_state);
    layout->addWidget(m_controls);

    m_stack = new QStackedWidget;
    m_empty = new EmptyModelPage;
    connect(m_empty, &EmptyModelPage::openFolderRequested, this, &MainWindow::chooseModelFolder);
    connect(m_empty, &EmptyModelPage::openFromHubRequested, this, &MainWindow::openFromHub);
    m_stack->addWidget(m_empty);

    m_tabs = new ViewTabs(m_state);
    m_links = m_tabs->links();
    m_heatmap = m_tabs->heatmap();
    m_grid = m_tabs->grid();
    m_qkv = m_tabs->qkv();
    m_image = m_tabs->image();
    m_train = m_tabs->train();
    m_compare = m_tabs->compare();
    connect(m_compare, &ComparePage::textARequested, this, &MainWindow::setText);
    // The lens costs a pass of every layer through the LM head: computed while its tab is shown.
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateSettings);
    connect(m_train, &TrainView::useModel, this, [this](const QString& folder) {
        openModel(folder);
        showView(QStringLiteral("heatmap"));
    });
    m_stack->addWidget(m_tabs);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);

    m_panels = new SidePanels(this, m_state, lessonHooks());
    connect(m_panels->ablation(), &AblationPanel::exportFailed, this, &MainWindow::showError);

    m_status = new SessionStatus(statusBar(), m_session);
}

LessonHooks MainWindow::lessonHooks() {
    LessonHooks hooks;
    hooks.showView = [this](const QString& view) { showView(view); };
    hooks.showQkvStep = [this](QkvStep step) { m_qkv->setStep(step); };
    hooks.swapWord = [this] { return m_sentence->swapWord(); };
    hooks.target = [this](LessonTarget t) -> QWidget* {
        switch (t) {
            case LessonTarget::Tokens: return m_tokens;
            case LessonTarget::Predictions: return m_panels->predictions();
            case LessonTarget::SwapButton: return m_sentence->swapButton()->isVisible() ? m_sentence->swapButton() : m_tabs->currentWidget();
            case LessonTarget::Figure: break;
        }
        return m_tabs->currentWidget();
    };
    return hooks;
}

LessonPanel* MainWindow::lesson() const { return m_panels->lesson(); }
AnalysesPanel* MainWindow::analyses() const { return m_panels->analyses(); }
AblationPanel* MainWindow::ablation() const { return m_panels->ablation(); }
QTabWidget* MainWindow::analysesTabs() const { return m_panels->analysesTabs(); }
void MainWindow::setAnalysesVisible(bool on) { m_panels->setAnalysesVisible(on); }
void MainWindow::setLessonVisible(bool on) { m_panels->setLessonVisible(on); }

void MainWindow::buildMenus() {
    MainMenus::Parts parts{m_exports, m_sentence, m_panels->predictionsDock(), m_panels->analysesDock(), m_panels->lessonDock(), m_panels->lesson(), m_heatmap};
    m_menus = new MainMenus(this, parts);
    connect(m_menus->recent(), &RecentModelsMenu::chosen, this, &MainWindow::openModel);
    m_modes = new DisplayModes({this, m_sentence, [this] { m_tokens->setResult(m_session->result()); }}, this);
    m_modes->setDarkAction(m_menus->darkAction());
}

void MainWindow::saveSessionAs() {
    if (!m_session->model()) return showError(tr("Open a model first"));
    QString path = askSaveFile(this, tr("Save session"), QStringLiteral("session"), QStringLiteral("view.attnscope"), tr("AttnScope session (*.attnscope)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(QLatin1String(".attnscope"))) path += QStringLiteral(".attnscope");
    const core::Status s = saveSession(path, currentSession());
    if (!s) showError(s.message());
    else statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 4000);
}

void MainWindow::openModel(const QString& folder) {
    // The built-in models' resources register on first use: a session naming one may come first.
    if (folder.startsWith(QLatin1String(":/"))) {
        core::builtinTeachingModelPath();
        core::builtinImageModelPath();
    }
    m_session->openModel(folder);
}

void MainWindow::chooseModelFolder() {
    const QString dir = askFolder(this, tr("Open model folder"), QStringLiteral("model"));
    if (!dir.isEmpty()) openModel(dir);
}

void MainWindow::openFromHub() {
    HubDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted && !dialog.modelId().isEmpty()) openModel(dialog.modelId());
}

bool MainWindow::isOpen(const QString& folderOrId) const {
    const LoadedModelPtr model = m_session->model();
    return model && (model->source == folderOrId || model->folder == QDir(folderOrId).absolutePath());
}

void MainWindow::openBuiltinModel() {
    if (m_sentence->text().trimmed().isEmpty()) {
        m_sentence->setTextQuietly(core::defaultSentence());
        m_session->setText(core::defaultSentence());
    }
    openModel(core::builtinTeachingModelPath());
}

void MainWindow::swapDecidingWord() { m_sentence->swapWord(); }

void MainWindow::setText(const QString& text) {
    m_sentence->setTextQuietly(text);
    m_session->setText(text);
    m_session->analyzeNow(text);
}

QString MainWindow::text() const { return m_sentence->text(); }
QString MainWindow::errorText() const { return m_error->isVisible() ? m_error->text() : QString(); }

FigureView* MainWindow::currentFigure() const { return m_tabs->currentFigure(); }

void MainWindow::updateSettings() {
    m_session->setSettings({m_state->ablated(), m_state->valueWeighted(), m_tabs->lensShown()});
}

void MainWindow::showView(const QString& name) { m_tabs->showView(name); }

void MainWindow::openImage(const QString& path) {
    m_session->openImage(path);  // decoded on the worker; imageOpened or imageFailed comes back
}

void MainWindow::openBuiltinImageModel(const QString& image) {
    const QStringList examples = core::builtinImageExamples();
    if (!m_session->image() && (!image.isEmpty() || !examples.isEmpty())) {
        // The given picture (or the first example) once the model is in; a text model still open
        // would refuse it. A given picture that fails shows its error: no example replaces it.
        connect(m_session, &AnalysisSession::modelChanged, this, [this, picture = image.isEmpty() ? examples.first() : image] {
            if (m_session->imageMode() && !m_session->image()) openImage(picture);
        }, Qt::SingleShotConnection);
    }
    openModel(core::builtinImageModelPath());
}

void MainWindow::openTrace(const QString& path) { m_session->openTrace(path); }

void MainWindow::chooseTraceFile() {
    const QString path = askOpenFile(this, tr("Open trace"), QStringLiteral("trace"), traceFileFilter());
    if (!path.isEmpty()) openTrace(path);
}

void MainWindow::onTraceOpened() {
    const auto opened = m_session->traceFile();
    if (!opened) return;
    const core::TraceInfo& info = opened->info;
    const core::AttentionTrace& t = *opened->trace;
    m_stack->setCurrentWidget(m_tabs);
    showError(QString());
    setWindowTitle(QStringLiteral("AttnScope — %1 (trace %2)").arg(info.model, QFileInfo(opened->path).fileName()));
    m_state->setLimits(t.layers(), t.heads(), t.tokens());
    m_compare->setModel(nullptr);
    const bool picture = info.imageGrid > 0;
    setImageMode(picture);
    m_imageRow->hide();  // the picture is the trace's own
    m_sentence->setVisible(!picture);
    m_sentence->setTextQuietly(info.text);
    m_sentence->setReadOnly(true, tr("The text of a recorded trace: open a model to type your own."));
}

void MainWindow::setImageMode(bool on) {
    m_sentence->setVisible(!on);
    m_imageRow->setVisible(on);
    m_tokens->setVisible(!on);
    m_tabs->setImageMode(on);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && !event->mimeData()->urls().isEmpty() && event->mimeData()->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QString path = event->mimeData()->urls().first().toLocalFile();
    event->acceptProposedAction();
    if (QFileInfo(path).isDir()) openModel(path);  // a model folder
    else if (core::isTraceFile(path)) openTrace(path);
    else openImage(path);
}

void MainWindow::showError(const QString& message) {
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void MainWindow::onModelChanged() {
    const LoadedModelPtr model = m_session->model();
    if (!model) return;
    m_stack->setCurrentWidget(m_tabs);
    showError(QString());
    m_sentence->setReadOnly(false);
    const bool builtin = model->folder.startsWith(QLatin1Char(':'));
    setWindowTitle(QStringLiteral("AttnScope — %1").arg(model->config().name));
    if (!builtin) m_menus->recent()->remember(model->source);  // a Hub id stays an id: it reopens from the cache
    m_state->setLimits(model->config().layers, model->config().heads, m_state->tokens());
    m_compare->setModel(model);
    setImageMode(model->config().isVision());
    // The teaching models open on the head that shows their lesson: the image model's on the head
    // that finds the object, the text model's on the one that resolves pronouns, "it" pinned.
    if (const auto head = model->config().coreferenceHead ? model->config().coreferenceHead : model->config().clsHead) {
        m_state->setHeadMode(HeadMode::Single);
        m_state->setLayer(head->first);
        m_state->setHead(head->second);
        m_pinPronoun = model->config().coreferenceHead.has_value();
    }
    if (m_sentence->text().trimmed().isEmpty()) m_session->setText(QString());
    if (model->config().isVision() && !m_session->image()) showError(tr("%1 is an image model: drop an image on the window or open one").arg(model->config().name));
}

void MainWindow::onResult(AnalysisResultPtr result) {
    showError(result->truncated ? tr("The text has %1 tokens; the model reads %2. The struck-through part of the text is not read.")
                                      .arg(result->fullTokens)
                                      .arg(result->encoding.size())
              : !result->weightsNote.isEmpty() ? tr("Showing attention weights: %1").arg(result->weightsNote)
                                               : QString());
    if (!result->isImage() && result->text == m_sentence->text()) m_sentence->markCut(result->truncated ? result->cutAt : -1, result->encoding.size(), result->fullTokens);
    m_state->setResult(result);  // limits; the pin follows its word through the edit
    m_tokens->setResult(result);
    m_panels->analyses()->setResult(result);
    m_panels->ablation()->setResult(result);
    m_tabs->setResult(result);
    const LoadedModelPtr model = m_session->model();
    m_panels->predictions()->setResult(result, model && (model->model->hasLmHead() || model->model->hasClassifier()));
    if (result->isImage()) m_imageRow->setImageName(QFileInfo(result->imagePath).fileName());
    m_controls->sync();
    applyPendingSession();
    if (m_pinPronoun) {  // the teaching model opens with "it" pinned, so its attention shows at once
        m_pinPronoun = false;
        const int it = result->encoding.tokens.indexOf(QStringLiteral("it"));
        if (it >= 0) m_state->setPinnedToken(it);
    }
}

void MainWindow::openSession(const QString& path) {
    auto session = loadSession(path);
    if (!session) return showError(session.message());
    m_sessions->open(*session);
}

void MainWindow::applyPendingSession() {
    if (const AnalysisResultPtr result = m_session->result(); result && m_sessions->applyTo(*result))
        m_pinPronoun = false;  // the session's own pin (or none), not the teaching model's "it"
}

SessionFile MainWindow::currentSession() const { return m_sessions->current(); }

void MainWindow::setPresentationMode(bool on) { m_modes->setPresentation(on); }
bool MainWindow::presentationMode() const { return m_modes->presentation(); }
void MainWindow::setDarkTheme(bool on) { m_modes->setDark(on); }

}  // namespace attnscope::ui
