#include "export/figure_export.h"

#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include "io/atomic_file.h"

#include <QSvgGenerator>

#include <cmath>

namespace attnscope::ui {

std::optional<FigureFormat> figureFormatFromPath(const QString& path) {
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext == QLatin1String("png")) return FigureFormat::Png;
    if (ext == QLatin1String("svg")) return FigureFormat::Svg;
    if (ext == QLatin1String("pdf")) return FigureFormat::Pdf;
    return std::nullopt;
}

core::Status exportFigure(const QString& path, FigureFormat format, const FigureOptions& o, const FigurePainter& paint) {
    if (o.size.width() < 1 || o.size.height() < 1 || o.dpi < 10 || o.dpi > 2400)
        return core::inputError(QStringLiteral("figure size or DPI out of range"));
    core::AtomicFile atomic(path);
    if (core::Status s = atomic.open(); !s) return s;
    QIODevice& file = atomic.device();
    const QRectF rect(QPointF(0, 0), o.size);
    bool ok = true;
    switch (format) {
        case FigureFormat::Png: {
            const QSize pixels(int(std::ceil(o.size.width() * o.dpi / 72.0)), int(std::ceil(o.size.height() * o.dpi / 72.0)));
            if (qint64(pixels.width()) * pixels.height() > 400'000'000LL)
                return core::inputError(QStringLiteral("a %1 x %2 pixel image is too large; lower the DPI").arg(pixels.width()).arg(pixels.height()));
            QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
            image.fill(o.transparent ? QColor(Qt::transparent) : o.background);
            // Paint at 72 DPI (one unit = one point, fonts sized in points), scaled to the pixels;
            // then record the real resolution in the file.
            image.setDotsPerMeterX(int(std::lround(72 / 0.0254)));
            image.setDotsPerMeterY(int(std::lround(72 / 0.0254)));
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setRenderHint(QPainter::TextAntialiasing);
            painter.scale(o.dpi / 72.0, o.dpi / 72.0);
            paint(painter, rect);
            painter.end();
            image.setDotsPerMeterX(int(std::lround(o.dpi / 0.0254)));
            image.setDotsPerMeterY(int(std::lround(o.dpi / 0.0254)));
            ok = image.save(&file, "PNG");
            break;
        }
        case FigureFormat::Svg: {
            QSvgGenerator svg;
            svg.setOutputDevice(&file);
            svg.setSize(o.size.toSize());
            svg.setViewBox(rect);
            svg.setTitle(o.title);
            svg.setDescription(QStringLiteral("AttnScope figure"));
            svg.setResolution(72);  // one unit = one point
            QPainter painter(&svg);
            if (!o.transparent) painter.fillRect(rect, o.background);
            paint(painter, rect);
            ok = painter.end();
            break;
        }
        case FigureFormat::Pdf: {
            QPdfWriter pdf(&file);
            pdf.setTitle(o.title);
            pdf.setCreator(QStringLiteral("AttnScope"));
            pdf.setPageSize(QPageSize(o.size, QPageSize::Point, QString(), QPageSize::ExactMatch));
            pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
            pdf.setResolution(72);  // one unit = one point; the PDF engine keeps fractional coordinates
            QPainter painter(&pdf);
            if (!o.transparent) painter.fillRect(rect, o.background);
            paint(painter, rect);
            ok = painter.end();
            break;
        }
    }
    const core::Status committed = atomic.commit();  // a failed write says so; else a failed render
    if (!committed) return committed;
    if (!ok) return core::internalError(QStringLiteral("%1: could not render the figure").arg(path));
    return {};
}

}  // namespace attnscope::ui
