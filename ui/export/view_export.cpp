#include "export/view_export.h"

#include "export/figure_export.h"
#include "io/npy_writer.h"
#include "io/trace_export.h"

#include <QDir>
#include <QFileInfo>

namespace attnscope::ui {

core::Status exportSelectionData(const QString& path, const AnalysisResult& r, const ViewState& st) {
    const HeadMode mode = st.headMode() == HeadMode::Single ? HeadMode::Single : HeadMode::Average;
    const AttentionMatrix m = selectMatrix(*r.trace, st.layer(), mode, st.head(), st.hideFirstToken());
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext == QLatin1String("csv"))
        return core::saveAtomically(path, [&](QIODevice& out) { return core::writeMatrixCsv(out, m.data, m.n, r.labels); });
    if (ext == QLatin1String("npy"))
        return core::saveAtomically(path, [&](QIODevice& out) { return core::writeMatrixNpy(out, m.data, m.n); });
    if (ext == QLatin1String("json"))
        return core::saveAtomically(path, [&](QIODevice& out) {
            return core::writeMatrixJson(out, m.data, m.n, r.labels, r.trace->layerNumber(st.layer()), mode == HeadMode::Single ? st.head() : -1);
        });
    return core::inputError(QStringLiteral("choose a file name ending in .csv, .npy or .json"));
}

core::Status exportImageMap(const QString& path, const AnalysisResult& r, const ViewState& st) {
    if (!r.isImage() || !r.trace) return core::inputError(QStringLiteral("the image map needs an image analysis"));
    const std::vector<float> map = imageMapValues(r, st);
    const int g = r.grid;
    if (map.size() != size_t(g) * size_t(g)) return core::internalError(QStringLiteral("the map does not match the patch grid"));
    const QString ext = QFileInfo(path).suffix().toLower();
    static const char* kOverlays[] = {"attention", "rollout", "dino_mask", "attention"};
    if (ext == QLatin1String("npy"))
        return core::saveAtomically(path, [&](QIODevice& out) { return core::writeNpy(out, {g, g}, map.data()); });
    QByteArray bytes;
    if (ext == QLatin1String("csv")) {
        for (int y = 0; y < g; ++y) {
            QStringList row;
            for (int x = 0; x < g; ++x) row << QString::number(double(map[size_t(y * g + x)]), 'g', 9);
            bytes += row.join(QLatin1Char(',')).toUtf8() + '\n';
        }
    } else if (ext == QLatin1String("json")) {
        QStringList values;
        for (float v : map) values << QString::number(double(v), 'g', 9);
        bytes = QStringLiteral("{\"overlay\": \"%1\", \"layer\": %2, \"head\": %3, \"grid\": %4, \"values\": [%5]}\n")
                    .arg(QLatin1String(kOverlays[int(st.imageOptions().overlay)]))
                    .arg(st.layer())
                    .arg(st.headMode() == HeadMode::Single ? st.head() : -1)
                    .arg(g)
                    .arg(values.join(QStringLiteral(", ")))
                    .toUtf8();
    } else {
        return core::inputError(QStringLiteral("choose a file name ending in .npy, .csv or .json"));
    }
    return core::saveBytesAtomically(path, bytes);
}

core::Status exportTraceData(const QString& path, const AnalysisResult& r, const QString& modelType) {
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext == QLatin1String("npy"))
        return core::saveAtomically(path, [&](QIODevice& out) { return core::writeAttentionsNpy(out, *r.trace); });
    if (ext == QLatin1String("json"))
        return core::saveAtomically(path, [&](QIODevice& out) {
            return core::writeTraceJson(out, {modelType, &r.encoding, r.truncated, r.trace.get(), {}, r.ablated},
                                        {QStringLiteral("hidden"), QStringLiteral("qkv"), QStringLiteral("scores"), QStringLiteral("norms")});
        });
    return core::inputError(QStringLiteral("choose a file name ending in .json or .npy"));
}

core::Result<int> exportAllHeads(const QString& folder, const QString& view, const QString& ext, const AnalysisResult& r,
                                 const ViewState& st, const FigureStyle& style, int dpi, const std::function<bool(int, int)>& progress) {
    const auto format = figureFormatFromPath(QStringLiteral("x.") + ext);
    if (!format) return core::inputError(QStringLiteral("unknown figure format '%1' (png, svg, pdf)").arg(ext));
    if (!QDir().mkpath(folder)) return core::inputError(QStringLiteral("%1: cannot create the folder").arg(folder));
    const core::AttentionTrace& t = *r.trace;
    ViewState one;
    one.setLimits(t.layers(), t.heads(), t.tokens());
    one.setColormap(st.colormap());
    one.setLogScale(st.logScale());
    one.setThreshold(st.threshold());
    one.setPinnedToken(st.pinnedToken());
    one.setLinkDirection(st.linkDirection());
    one.setHideFirstToken(st.hideFirstToken());
    one.setImageOptions(st.imageOptions());
    FigureStyle s = style;
    s.vector = *format != FigureFormat::Png;
    FigureOptions options;
    options.size = figureSize(view, r);
    options.dpi = dpi;
    const int total = t.layers() * t.heads();
    int written = 0;
    for (int l = 0; l < t.layers(); ++l) {
        for (int h = 0; h < t.heads(); ++h) {
            if (progress && !progress(written, total)) return written;
            one.setLayer(l);
            one.setHead(h);
            const int number = t.layerNumber(l);  // the model's layer (a trace file may hold some only)
            const QString path = QDir(folder).filePath(QStringLiteral("layer%1_head%2.%3").arg(number).arg(h).arg(ext));
            options.title = QStringLiteral("%1 layer %2 head %3").arg(view).arg(number).arg(h);
            const core::Status status = exportFigure(path, *format, options, [&](QPainter& p, const QRectF& rect) {
                paintFigureByName(view, p, rect.adjusted(8, 8, -8, -8), r, one, s);
            });
            if (!status) return status.error();
            ++written;
        }
    }
    if (progress) progress(written, total);
    return written;
}

}  // namespace attnscope::ui
