#pragma once

#include "session/analysis_session.h"
#include "session/view_state.h"

#include <QObject>

#include <functional>

class QWidget;

namespace attnscope::ui {

class FigureView;

// The File menu's exports and Edit › Copy View: asks for a file (and the figure's options), writes
// it through the same painters as the screen, and reports back (done or failed) for the window to
// show. Holds no state of its own beyond what it was given.
class ExportActions : public QObject {
    Q_OBJECT

public:
    // currentFigure: the view on screen; imageView: the Image tab (its data export is the map).
    ExportActions(QWidget* window, AnalysisSession* session, ViewState* state, std::function<FigureView*()> currentFigure,
                  const FigureView* imageView);

    void exportCurrentView();
    void exportData(bool wholeTrace);
    void exportAllHeads();
    void copyCurrentView();
    // File > Save Trace As…: the run shown, as a trace file that opens without the model.
    void saveTrace();

Q_SIGNALS:
    void done(const QString& message, int milliseconds);
    void failed(const QString& message);

private:
    void report(const core::Status& status, const QString& path);

    QWidget* m_window;
    AnalysisSession* m_session;
    ViewState* m_state;
    std::function<FigureView*()> m_currentFigure;
    const FigureView* m_imageView;
};

}  // namespace attnscope::ui
