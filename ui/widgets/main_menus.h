#pragma once

#include <QObject>

class QAction;
class QDockWidget;
class QWidget;

namespace attnscope::ui {

class ExportActions;
class HeatmapView;
class LessonPanel;
class MainWindow;
class RecentModelsMenu;
class SentenceBar;

// The main window's menu bar: File (models, images, sessions, exports), Edit, Examples, View
// (layers, heads, views, panels, presentation, theme) and Help (lesson, glossary, shortcuts). Its
// actions call the window's public API and the panels it is given; the window keeps no menu code.
class MainMenus : public QObject {
    Q_OBJECT

public:
    struct Parts {
        ExportActions* exports;
        SentenceBar* sentence;
        QDockWidget* predictionsDock;
        QDockWidget* analysesDock;
        QDockWidget* lessonDock;
        LessonPanel* lesson;
        HeatmapView* heatmap;
    };
    MainMenus(MainWindow* window, const Parts& parts);

    RecentModelsMenu* recent() const { return m_recent; }
    QAction* darkAction() const { return m_darkAction; }
    // Help > Keyboard Shortcuts.
    static void showShortcuts(QWidget* parent);

private:
    RecentModelsMenu* m_recent = nullptr;
    QAction* m_darkAction = nullptr;
};

}  // namespace attnscope::ui
