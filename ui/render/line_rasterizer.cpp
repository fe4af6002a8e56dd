#include "render/line_rasterizer.h"

#include <QImage>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

namespace attnscope::ui {
namespace {

// x's four 8-bit channels times a / 255, rounded (Qt's BYTE_MUL).
inline uint32_t byteMul(uint32_t x, uint32_t a) {
    uint32_t t = (x & 0xff00ffu) * a;
    t = ((t + ((t >> 8) & 0xff00ffu) + 0x800080u) >> 8) & 0xff00ffu;
    x = ((x >> 8) & 0xff00ffu) * a;
    x = (x + ((x >> 8) & 0xff00ffu) + 0x800080u) & 0xff00ff00u;
    return x | t;
}

// One colour blended source-over onto premultiplied pixels with a coverage in [0, 1].
class Blender {
public:
    Blender(QImage& image, QColor color)
        : m_bits(reinterpret_cast<uint32_t*>(const_cast<uchar*>(image.constBits()))),  // no detach
          m_stride(size_t(image.bytesPerLine() / 4)),
          m_width(image.width()),
          m_height(image.height()),
          m_opaque(0xff000000u | (uint32_t(color.red()) << 16) | (uint32_t(color.green()) << 8) | uint32_t(color.blue())),
          m_alpha255(float(color.alphaF()) * 255.0f) {}

    int width() const { return m_width; }
    int height() const { return m_height; }

    void plot(int x, int y, float coverage) {
        if (unsigned(x) >= unsigned(m_width) || unsigned(y) >= unsigned(m_height)) return;
        const uint32_t s = uint32_t(m_alpha255 * coverage + 0.5f);  // source alpha, 0..255
        if (s == 0) return;
        uint32_t& d = m_bits[size_t(y) * m_stride + size_t(x)];
        d = byteMul(m_opaque, s) + byteMul(d, 255 - s);
    }

private:
    uint32_t* m_bits;
    size_t m_stride;
    int m_width, m_height;
    uint32_t m_opaque;  // the colour at full alpha, ARGB
    float m_alpha255;
};

// An antialiased line `width` device pixels wide from (x0, y0) to (x1, y1) (pixel centres at
// integer + 0.5), square-ended at its columns (rows when steep). Each pixel of a column gets the
// length of its span that the line's cross-section covers; at width 1 this is Wu's line.
void wideLine(Blender& blender, double x0, double y0, double x1, double y1, double width) {
    if (!std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1) || !std::isfinite(width)) return;
    x0 -= 0.5, y0 -= 0.5, x1 -= 0.5, y1 -= 0.5;
    const bool steep = std::abs(y1 - y0) > std::abs(x1 - x0);
    if (steep) std::swap(x0, y0), std::swap(x1, y1);
    if (x0 > x1) std::swap(x0, x1), std::swap(y0, y1);
    const double dx = x1 - x0, gradient = dx == 0 ? 1.0 : (y1 - y0) / dx;
    // Half the cross-section along the minor axis (a line at an angle is taller than it is wide).
    const double half = std::clamp(width, 1.0, 64.0) * 0.5 * std::sqrt(1.0 + gradient * gradient);
    auto plot = [&](int major, int minor, float c) {
        if (steep) blender.plot(minor, major, c);
        else blender.plot(major, minor, c);
    };
    // The columns (rows when steep) whose centres the line spans, inside the image.
    const double limit = steep ? blender.height() : blender.width();
    const double minorLimit = steep ? blender.width() : blender.height();
    const int first = int(std::max(0.0, std::ceil(x0))), last = int(std::min(limit - 1, std::floor(x1)));
    for (int x = first; x <= last; ++x) {
        const double y = y0 + gradient * (x - x0);
        const double lo = y - half, hi = y + half;  // pixel k covers [k - 0.5, k + 0.5]
        const int k0 = int(std::max(0.0, std::floor(lo + 0.5))), k1 = int(std::min(minorLimit - 1, std::floor(hi + 0.5)));
        for (int k = k0; k <= k1; ++k) {
            const double c = std::min(hi, k + 0.5) - std::max(lo, k - 0.5);
            if (c > 0) plot(x, k, float(std::min(c, 1.0)));
        }
    }
}

}  // namespace

bool LineRasterizer::supports(const QImage& image, const QTransform& toDevice) {
    return !image.isNull() && image.format() == QImage::Format_ARGB32_Premultiplied &&
           toDevice.type() <= QTransform::TxScale;
}

void LineRasterizer::draw(QImage& image, const QTransform& toDevice, const QLineF* lines, int count, QColor color, double width) {
    if (!supports(image, toDevice)) return;
    Blender blender(image, color);
    const double deviceWidth = width * std::sqrt(std::abs(toDevice.m11() * toDevice.m22()));
    for (int i = 0; i < count; ++i) {
        const QLineF l = toDevice.map(lines[i]);
        wideLine(blender, l.x1(), l.y1(), l.x2(), l.y2(), deviceWidth);
    }
}

}  // namespace attnscope::ui
