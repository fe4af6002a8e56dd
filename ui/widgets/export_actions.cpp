#include "widgets/export_actions.h"

#include "session/trace_result.h"

#include "export/figure_export.h"
#include "export/view_export.h"
#include "widgets/export_dialog.h"
#include "widgets/figure_view.h"
#include "widgets/file_dialogs.h"

#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QPainter>
#include <QProgressDialog>

namespace attnscope::ui {

ExportActions::ExportActions(QWidget* window, AnalysisSession* session, ViewState* state, std::function<FigureView*()> currentFigure,
                             const FigureView* imageView)
    : QObject(window), m_window(window), m_session(session), m_state(state), m_currentFigure(std::move(currentFigure)), m_imageView(imageView) {}

void ExportActions::report(const core::Status& status, const QString& path) {
    if (!status) Q_EMIT failed(status.message());
    else Q_EMIT done(tr("Exported %1").arg(QFileInfo(path).fileName()), 4000);
}

void ExportActions::exportCurrentView() {
    FigureView* view = m_currentFigure();
    if (!view) return Q_EMIT failed(tr("This tab has no figure to export."));
    if (!view->hasFigure())
        return Q_EMIT failed(view->unavailable().isEmpty() ? tr("Nothing to export yet: the view is empty.") : view->unavailable());
    QString filter;
    const QString path = askSaveFile(m_window, tr("Export view"), QStringLiteral("export"), view->figureName() + QStringLiteral(".png"),
                                     tr("PNG image (*.png);;SVG vector image (*.svg);;PDF document (*.pdf)"), &filter);
    if (path.isEmpty()) return;
    const auto format = figureFormatFromPath(path);
    if (!format) return Q_EMIT failed(tr("Choose a file name ending in .png, .svg or .pdf"));
    ExportDialog dialog(QFileInfo(path).fileName(), *format, view->figureName(), view->preferredFigureSize(), m_window);
    if (dialog.exec() != QDialog::Accepted) return;
    const FigureOptions options = dialog.options();
    FigureStyle style = view->figureStyle();
    style.text = Qt::black;
    style.background = Qt::white;
    style.vector = *format != FigureFormat::Png;
    const core::Status s = exportFigure(path, *format, options,
                                        [view, style](QPainter& p, const QRectF& r) { view->paintFigure(p, r, style); });
    report(s, path);
}

void ExportActions::exportData(bool wholeTrace) {
    const AnalysisResultPtr result = m_session->result();
    if (!result || !result->trace) return Q_EMIT failed(tr("Nothing to export yet: open a model and type a sentence, or open a trace."));
    const QString modelType = result->fromFile() ? result->traceFile->info.modelType : m_session->model() ? m_session->model()->config().modelType : QString();
    if (!wholeTrace && result->isImage() && m_currentFigure() == m_imageView) {
        const QString path = askSaveFile(m_window, tr("Export the image map"), QStringLiteral("data"), QStringLiteral("image_map.npy"),
                                         tr("NumPy array (*.npy);;CSV table (*.csv);;JSON (*.json)"));
        if (path.isEmpty()) return;
        const core::Status s = exportImageMap(path, *result, *m_state);
        report(s, path);
        return;
    }
    const QString path = askSaveFile(
        m_window, wholeTrace ? tr("Export the whole trace") : tr("Export the selected head"), QStringLiteral("data"),
        wholeTrace ? QStringLiteral("trace.json") : QStringLiteral("layer%1_head%2.csv").arg(m_state->layer()).arg(m_state->head()),
        wholeTrace ? tr("JSON (*.json);;NumPy array (*.npy)") : tr("CSV table (*.csv);;NumPy array (*.npy);;JSON (*.json)"));
    if (path.isEmpty()) return;
    const core::Status s = wholeTrace ? exportTraceData(path, *result, modelType)
                                      : exportSelectionData(path, *result, *m_state);
    report(s, path);
}

void ExportActions::saveTrace() {
    const AnalysisResultPtr result = m_session->result();
    if (!result || !result->trace) return Q_EMIT failed(tr("Nothing to save yet: open a model and type a sentence."));
    const LoadedModelPtr model = m_session->model();
    const QString name = !model ? QString()
                         : model->source.isEmpty() || model->folder.startsWith(QLatin1Char(':')) ? model->config().name
                                                                                                  : model->source;
    QString path = askSaveFile(m_window, tr("Save trace"), QStringLiteral("trace"), QStringLiteral("trace.safetensors"),
                               tr("AttnScope trace (*.safetensors)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(QLatin1String(".safetensors"))) path += QStringLiteral(".safetensors");
    report(saveResultAsTrace(path, *result, name, model ? model->config().modelType : QString()), path);
}

void ExportActions::exportAllHeads() {
    FigureView* view = m_currentFigure();
    const AnalysisResultPtr result = m_session->result();
    if (!view || !result) return;
    const QString folder = askFolder(m_window, tr("Folder for one %1 per head").arg(view->figureName()), QStringLiteral("export"));
    if (folder.isEmpty()) return;
    bool ok = false;
    const QString ext = QInputDialog::getItem(m_window, tr("Format"), tr("File format:"), {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")}, 0, false, &ok);
    if (!ok) return;
    QProgressDialog progress(tr("Exporting every head…"), tr("Cancel"), 0, result->trace->layers() * result->trace->heads(), m_window);
    progress.setWindowModality(Qt::WindowModal);
    FigureStyle style = view->figureStyle();
    style.text = Qt::black;
    style.background = Qt::white;
    auto written = ui::exportAllHeads(folder, view->figureName(), ext, *result, *m_state, style, 200, [&](int done, int) {
        progress.setValue(done);
        return !progress.wasCanceled();
    });
    if (!written) Q_EMIT failed(written.message());
    else Q_EMIT done(tr("Wrote %1 files to %2").arg(*written).arg(folder), 6000);
}

void ExportActions::copyCurrentView() {
    FigureView* view = m_currentFigure();
    if (!view || !view->hasFigure()) return;
    const QSizeF size = view->preferredFigureSize();
    QImage image((size * 2).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(2, 2);
    FigureStyle style = view->figureStyle();
    style.text = Qt::black;
    style.background = Qt::white;
    view->paintFigure(p, QRectF(QPointF(0, 0), size).adjusted(8, 8, -8, -8), style);
    p.end();
    QApplication::clipboard()->setImage(image);
    Q_EMIT done(tr("Copied the %1 to the clipboard").arg(view->figureName()), 3000);
}

}  // namespace attnscope::ui
