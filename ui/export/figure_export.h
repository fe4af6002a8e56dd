#pragma once

#include "util/result.h"

#include <QColor>
#include <QPainter>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <functional>
#include <optional>

namespace attnscope::ui {

enum class FigureFormat { Png, Svg, Pdf };

struct FigureOptions {
    QSizeF size{800, 600};  // logical size in points (1/72 inch)
    int dpi = 144;          // PNG only: pixels = points * dpi / 72
    bool transparent = false;
    QColor background = Qt::white;
    QString title;          // SVG/PDF document title
};

using FigurePainter = std::function<void(QPainter&, const QRectF&)>;

std::optional<FigureFormat> figureFormatFromPath(const QString& path);
// Draws the figure with `paint` into a PNG, SVG (text stays text) or PDF file. Written to a
// temporary file and renamed, so a failure leaves nothing behind.
core::Status exportFigure(const QString& path, FigureFormat format, const FigureOptions& options,
                          const FigurePainter& paint);

}  // namespace attnscope::ui
