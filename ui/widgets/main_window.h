#pragma once

#include "session/analysis_session.h"
#include "session/session_file.h"
#include "session/view_state.h"

#include <QMainWindow>

class QAction;
class QCheckBox;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QSlider;
class QSpinBox;
class QStackedWidget;
class QTabWidget;
class QToolButton;

namespace attnscope::ui {

class AblationPanel;
class AggregatePage;
class ComparePage;
class LensView;
class QkSpacePage;
class AnalysesPanel;
class SessionStatus;
class DisplayModes;
class EmptyModelPage;
class RecentModelsMenu;
class SessionRestorer;
class SidePanels;
class SentenceBar;
class ViewControls;

class FigureView;
class HeatmapView;
class ExportActions;
class ImageControls;
class ImageInputBar;
class ImageView;
class LessonPanel;
struct LessonHooks;
class LinksView;
class MainMenus;
class ModelGridView;
class PredictionsView;
class QkvView;
class TrainView;
class TokenBar;
class ViewTabs;

// The sentence bar, the token chips, the layer/head controls and the views.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    AnalysisSession* session() { return m_session; }
    ViewState* viewState() { return m_state; }
    void openModel(const QString& folder);  // a folder or a Hub id
    void openFromHub();
    void chooseModelFolder();  // a folder dialog, then openModel
    // The teaching model built into AttnScope, on its "animal ... tired" sentence.
    void openBuiltinModel();
    // Swaps the word that flips what the pronoun refers to ("tired" and "wide"; see minimal_pairs).
    void swapDecidingWord();
    void setText(const QString& text);
    // Decodes an image file and analyses it with the open vision model; errors show in place and
    // leave the previous picture and model as they were.
    void openImage(const QString& path);
    // A trace file (docs/trace-format.md): opened and checked on the worker, then shown in place of
    // a model, its text read-only; views that need the model say so in place.
    void openTrace(const QString& path);
    void chooseTraceFile();  // File > Open Trace…
    // The built-in image teaching model on its first example picture.
    // The built-in image teaching model, with `image` (or its first example) once it is in.
    void openBuiltinImageModel(const QString& image = QString());
    QString text() const;
    FigureView* currentFigure() const;
    void showView(const QString& name);  // "links", "heatmap", "grid", "qkv", "image", "train"
    QString errorText() const;
    // Opens a saved session: its model, its text, then its selection once the analysis is in.
    void openSession(const QString& path);
    SessionFile currentSession() const;
    void setPresentationMode(bool on);
    bool presentationMode() const;
    void setDarkTheme(bool on);
    // Help > Lesson (F1): the guided lesson beside the views.
    void setLessonVisible(bool on);
    LessonPanel* lesson() const;
    AnalysesPanel* analyses() const;
    AblationPanel* ablation() const;
    ComparePage* comparePage() const { return m_compare; }
    QTabWidget* analysesTabs() const;
    void setAnalysesVisible(bool on);  // View > Analyses Panel (Ctrl+Shift+A)
    void saveSessionAs();  // File > Save Session As: a file dialog, then the session

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildUi();
    void buildMenus();
    void onResult(AnalysisResultPtr result);
    void updateSettings();  // the state's ablation and weights, and the lens while its tab is shown, to the session
    void onModelChanged();
    void onTraceOpened();
    bool isOpen(const QString& folderOrId) const;  // the model open now came from there
    void showError(const QString& message);
    void applyPendingSession();
    void setImageMode(bool on);
    LessonHooks lessonHooks();  // what the lesson drives in the window

    AnalysisSession* m_session;
    ViewState* m_state;
    SentenceBar* m_sentence = nullptr;
    QLabel* m_error = nullptr;
    TokenBar* m_tokens = nullptr;
    QStackedWidget* m_stack = nullptr;
    EmptyModelPage* m_empty = nullptr;
    ViewControls* m_controls = nullptr;
    ViewTabs* m_tabs = nullptr;
    LinksView* m_links = nullptr;
    HeatmapView* m_heatmap = nullptr;
    ModelGridView* m_grid = nullptr;
    QkvView* m_qkv = nullptr;
    ComparePage* m_compare = nullptr;
    ImageView* m_image = nullptr;
    ImageInputBar* m_imageRow = nullptr;
    ExportActions* m_exports = nullptr;
    TrainView* m_train = nullptr;
    SidePanels* m_panels = nullptr;  // Predictions, Analyses, Lesson
    SessionStatus* m_status = nullptr;
    MainMenus* m_menus = nullptr;
    SessionRestorer* m_sessions = nullptr;  // File > Open Session, in order
    DisplayModes* m_modes = nullptr;  // presentation mode, dark theme
    bool m_pinPronoun = false;
};

}  // namespace attnscope::ui
