#pragma once

#include <QColor>
#include <QLineF>
#include <QTransform>

class QImage;

namespace attnscope::ui {

// Antialiased lines of any width (Xiaolin Wu's algorithm at 1 pixel, its coverage generalised to a
// wider cross-section above) blended source-over straight into an
// ARGB32_Premultiplied image: about 10x faster than QPainter's antialiased cosmetic lines, which
// cost ~40 us each in the raster engine (a links view at 32 tokens draws ~1000). For the screen
// only; exports keep QPainter's strokes. Lines are in logical coordinates, mapped by toDevice
// (scale and translation only), and clipped to the image.
class LineRasterizer {
public:
    // False (nothing drawn) when the image's format or the transform is not supported.
    static bool supports(const QImage& image, const QTransform& toDevice);

    // `width` is in logical units (scaled by toDevice like the lines), at least one device pixel.
    static void draw(QImage& image, const QTransform& toDevice, const QLineF* lines, int count, QColor color, double width = 1.0);
};

}  // namespace attnscope::ui
