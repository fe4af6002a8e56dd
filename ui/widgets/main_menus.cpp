#include "widgets/main_menus.h"

#include "widgets/export_actions.h"
#include "widgets/file_dialogs.h"
#include "widgets/heatmap_view.h"
#include "widgets/lesson_panel.h"
#include "widgets/main_window.h"
#include "widgets/recent_models_menu.h"
#include "widgets/sentence_bar.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>

namespace attnscope::ui {

MainMenus::MainMenus(MainWindow* w, const Parts& parts) : QObject(w) {
    QMenuBar* bar = w->menuBar();
    ExportActions* exports = parts.exports;
    QMenu* file = bar->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Model Folder…"), w, &MainWindow::chooseModelFolder);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open from &Hugging Face…"), w, &MainWindow::openFromHub)->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+H")));
    file->addAction(tr("Open &Built-in Teaching Model"), w, &MainWindow::openBuiltinModel);
    file->addAction(tr("Open Built-in &Image Teaching Model"), w, [w] { w->openBuiltinImageModel(); });
    file->addAction(tr("Open &Trace…"), w, &MainWindow::chooseTraceFile)->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+O")));
    file->addAction(tr("Open &Image…"), w, [w] {
        const QString path = askOpenFile(w, tr("Open image"), QStringLiteral("image"), imageFileFilter());
        if (!path.isEmpty()) w->openImage(path);
    })->setShortcut(QKeySequence(QStringLiteral("Ctrl+I")));
    m_recent = new RecentModelsMenu(tr("Open &Recent"), file);
    file->addMenu(m_recent);
    file->addSeparator();
    file->addAction(tr("Open &Session…"), w, [w] {
        const QString path = askOpenFile(w, tr("Open session"), QStringLiteral("session"), tr("AttnScope session (*.attnscope)"));
        if (!path.isEmpty()) w->openSession(path);
    })->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+O")));
    file->addAction(tr("&Save Session As…"), w, &MainWindow::saveSessionAs)->setShortcut(QKeySequence::Save);
    file->addSeparator();
    QAction* exportView = file->addAction(tr("&Export View…"), exports, &ExportActions::exportCurrentView);
    exportView->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
    file->addAction(tr("Export All &Heads of This View…"), exports, &ExportActions::exportAllHeads);
    file->addAction(tr("Export Selected Head's &Data (CSV, NPY, JSON)…"), exports, [exports] { exports->exportData(false); });
    file->addAction(tr("Export &Whole Trace (JSON, NPY)…"), exports, [exports] { exports->exportData(true); });
    file->addAction(tr("Save &Trace File (opens without the model)…"), exports, &ExportActions::saveTrace);
    file->addSeparator();
    file->addAction(tr("&Quit"), qApp, &QApplication::quit)->setShortcut(QKeySequence::Quit);

    QMenu* edit = bar->addMenu(tr("&Edit"));
    edit->addAction(tr("&Copy View as Image"), exports, &ExportActions::copyCurrentView)->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+C")));

    bar->addMenu(parts.sentence->examplesMenu());  // the minimal pairs, also behind the sentence's Examples button
    w->addAction(parts.sentence->swapAction());     // Ctrl+T in presentation mode too, where the bar is hidden
    QMenu* view = bar->addMenu(tr("&View"));
    // Page Down / Page Up: the next layer, or during the lesson its next step (a presenter's clicker).
    view->addAction(tr("Next Layer (Lesson: Next Step)"), w, [w, parts] {
        if (parts.lessonDock->isVisible()) return parts.lesson->next();
        w->viewState()->setLayer(w->viewState()->layer() + 1);
    })->setShortcut(Qt::Key_PageDown);
    view->addAction(tr("Previous Layer (Lesson: Previous Step)"), w, [w, parts] {
        if (parts.lessonDock->isVisible()) return parts.lesson->back();
        w->viewState()->setLayer(w->viewState()->layer() - 1);
    })->setShortcut(Qt::Key_PageUp);
    view->addAction(tr("Next Head"), w, [w] { w->viewState()->setHead(w->viewState()->head() + 1); })->setShortcut(QKeySequence(QStringLiteral("Ctrl+Right")));
    view->addAction(tr("Previous Head"), w, [w] { w->viewState()->setHead(w->viewState()->head() - 1); })->setShortcut(QKeySequence(QStringLiteral("Ctrl+Left")));
    view->addSeparator();
    view->addAction(tr("Links"), w, [w] { w->showView(QStringLiteral("links")); })->setShortcut(QKeySequence(QStringLiteral("Ctrl+1")));
    view->addAction(tr("Heatmap"), w, [w] { w->showView(QStringLiteral("heatmap")); })->setShortcut(QKeySequence(QStringLiteral("Ctrl+2")));
    view->addAction(tr("Model Grid"), w, [w] { w->showView(QStringLiteral("grid")); })->setShortcut(QKeySequence(QStringLiteral("Ctrl+3")));
    view->addAction(tr("Q/K/V Step by Step"), w, [w] { w->showView(QStringLiteral("qkv")); })->setShortcut(QKeySequence(QStringLiteral("Ctrl+4")));
    view->addAction(tr("Image"), w, [w] { w->showView(QStringLiteral("image")); })->setShortcut(QKeySequence(QStringLiteral("Ctrl+5")));
    view->addAction(tr("Unpin Token"), w, [w] { w->viewState()->setPinnedToken(-1); })->setShortcut(Qt::Key_Escape);
    view->addAction(tr("Reset Heatmap &Zoom"), w, [parts] { parts.heatmap->resetZoom(); })->setShortcut(QKeySequence(QStringLiteral("Ctrl+0")));
    view->addSeparator();
    QAction* predictions = parts.predictionsDock->toggleViewAction();
    predictions->setText(tr("&Predictions Panel"));
    view->addAction(predictions);
    QAction* analyses = parts.analysesDock->toggleViewAction();
    analyses->setText(tr("&Analyses Panel (head statistics)"));
    analyses->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+A")));
    connect(analyses, &QAction::triggered, parts.analysesDock, [dock = parts.analysesDock](bool on) {
        if (on) dock->raise();
    });
    view->addAction(analyses);
    view->addSeparator();
    QAction* present = view->addAction(tr("&Presentation Mode"), w, [w] { w->setPresentationMode(!w->presentationMode()); });
    present->setShortcut(Qt::Key_F11);
    m_darkAction = view->addAction(tr("&Dark Theme"));
    m_darkAction->setCheckable(true);

    QMenu* help = bar->addMenu(tr("&Help"));
    QAction* lesson = parts.lessonDock->toggleViewAction();
    lesson->setText(tr("&Lesson: Self-Attention Step by Step"));
    lesson->setShortcut(Qt::Key_F1);
    help->addAction(lesson);
    help->addAction(tr("&Glossary"), w, [w, parts] {
        w->setLessonVisible(true);
        parts.lesson->setGlossaryVisible(true);
    });
    help->addAction(tr("&Keyboard Shortcuts"), w, [w] { showShortcuts(w); });
}

void MainMenus::showShortcuts(QWidget* parent) {
    QMessageBox::information(parent, tr("Keyboard shortcuts"),
                             tr("<table>"
                                "<tr><td><b>Page Down / Page Up</b></td><td>next / previous layer</td></tr>"
                                "<tr><td><b>Ctrl+Right / Ctrl+Left</b></td><td>next / previous head</td></tr>"
                                "<tr><td><b>Ctrl+1, 2, 3, 4, 5</b></td><td>links, heatmap, model grid, Q/K/V, image</td></tr>"
                                "<tr><td><b>Ctrl+I</b></td><td>open an image (image models); or drop one on the window</td></tr>"
                                "<tr><td><b>Hover / click a patch</b></td><td>image: where that patch attends; click pins it</td></tr>"
                                "<tr><td><b>← / → , Space</b></td><td>Q/K/V: previous / next step</td></tr>"
                                "<tr><td><b>↑ / ↓</b></td><td>Q/K/V: previous / next query token</td></tr>"
                                "<tr><td><b>P</b></td><td>Q/K/V: play the steps as an animation</td></tr>"
                                "<tr><td><b>Ctrl+T</b></td><td>swap the word that decides what the pronoun means (Examples menu)</td></tr>"
                                "<tr><td><b>Click a token</b></td><td>pin it in every view; Esc unpins</td></tr>"
                                "<tr><td><b>Ctrl+E</b></td><td>export the view (PNG, SVG, PDF)</td></tr>"
                                "<tr><td><b>Ctrl+O</b></td><td>open a model folder</td></tr>"
                                "<tr><td><b>Ctrl+S / Ctrl+Shift+O</b></td><td>save / open a session</td></tr>"
                                "<tr><td><b>Ctrl+Shift+C</b></td><td>copy the view as an image</td></tr>"
                                "<tr><td><b>Arrows</b> (in a view)</td><td>head (←/→) and layer (↑/↓)</td></tr>"
                                "<tr><td><b>F11</b></td><td>presentation mode: full screen, large type, high contrast</td></tr>"
                                "<tr><td><b>Wheel / drag</b> (heatmap)</td><td>zoom about the pointer / pan; "
                                "<b>Ctrl+0</b>, double-click or <i>Reset zoom</i> shows it all; <b>Z</b>: zoom to the pinned token</td></tr>"
                                "<tr><td><b>Wheel</b> (links, long text)</td><td>scroll the readable window of rows</td></tr>"
                                "<tr><td><b>Click / double-click a head square</b></td><td>links, all heads: switch that head on or off / show it alone</td></tr>"
                                "<tr><td><b>F1</b></td><td>the lesson; Page Down / Page Up (or a clicker): next / previous step</td></tr>"
                                "<tr><td><b>Ctrl+Shift+H</b></td><td>open a model from Hugging Face</td></tr>"
                                "</table>"));
}

}  // namespace attnscope::ui
