#include "train/shapes_dataset.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace attnscope::core::train {
namespace {

struct Rgb {
    float r, g, b;
};
const std::array<Rgb, 6> kColours{{{215, 38, 38}, {240, 135, 20}, {225, 195, 15}, {40, 165, 60}, {35, 90, 215}, {150, 60, 200}}};

struct Placed {
    int shape;
    float cx, cy, radius;  // centre and half-size in pixels
};

// Whether point (x, y) lies inside the shape (circle, square, triangle, diamond).
bool inside(const Placed& s, float x, float y) {
    const float dx = x - s.cx, dy = y - s.cy, r = s.radius;
    switch (s.shape) {
    case 0: return dx * dx + dy * dy <= r * r;
    case 1: return std::abs(dx) <= r * 0.85f && std::abs(dy) <= r * 0.85f;
    case 2: {  // upward triangle with its base at cy + 0.8 r
        const float top = -r, base = 0.8f * r;
        if (dy < top || dy > base) return false;
        const float half = r * (dy - top) / (base - top);
        return std::abs(dx) <= half;
    }
    default: return std::abs(dx) + std::abs(dy) <= r;
    }
}

// Coverage of pixel (px, py) by the shape, from 4 x 4 samples.
float coverage(const Placed& s, int px, int py) {
    int hits = 0;
    for (int sy = 0; sy < 4; ++sy)
        for (int sx = 0; sx < 4; ++sx) hits += inside(s, float(px) + (float(sx) + 0.5f) / 4, float(py) + (float(sy) + 0.5f) / 4);
    return float(hits) / 16.0f;
}

}  // namespace

QString ShapesImage::name() const { return ShapesDataset::colourNames()[label] + QLatin1Char(' ') + ShapesDataset::shapeNames()[shape]; }

ShapesDataset::ShapesDataset(int size, uint32_t seed) : m_size(size), m_seed(seed) {}

const QStringList& ShapesDataset::colourNames() {
    static const QStringList names{"red", "orange", "yellow", "green", "blue", "purple"};
    return names;
}

const QStringList& ShapesDataset::shapeNames() {
    static const QStringList names{"circle", "square", "triangle", "diamond"};
    return names;
}

ShapesImage ShapesDataset::sample(std::mt19937& rng) const {
    std::uniform_int_distribution<int> colour(0, int(kColours.size()) - 1), shape(0, int(shapeNames().size()) - 1);
    const int c = colour(rng);
    return sample(rng, c, shape(rng));
}

ShapesImage ShapesDataset::sample(std::mt19937& rng, int colour, int shape) const {
    const int S = m_size;
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    std::uniform_int_distribution<int> anyShape(0, int(shapeNames().size()) - 1);
    ShapesImage img;
    img.label = colour;
    img.shape = shape;
    img.rgb.channels = 3;
    img.rgb.height = img.rgb.width = S;
    img.rgb.data.assign(size_t(3) * S * S, 0.0f);
    img.object.assign(size_t(S) * S, 0);

    // Objects: the coloured one first, then 2-4 grey ones, none overlapping.
    const int count = 3 + int(unit(rng) * 3.0f);
    std::vector<Placed> objects;
    for (int attempt = 0; int(objects.size()) < count && attempt < 200; ++attempt) {
        const float radius = float(S) * (0.09f + 0.06f * unit(rng));
        Placed p{objects.empty() ? shape : anyShape(rng), radius + 1 + unit(rng) * (float(S) - 2 * radius - 2),
                 radius + 1 + unit(rng) * (float(S) - 2 * radius - 2), radius};
        bool clear = true;
        for (const Placed& o : objects) clear = clear && std::hypot(o.cx - p.cx, o.cy - p.cy) > o.radius + p.radius + 2;
        if (clear) objects.push_back(p);
    }
    std::vector<Rgb> fills;
    fills.push_back(kColours[size_t(colour)]);
    for (size_t i = 1; i < objects.size(); ++i) {
        const float grey = 70 + 100 * unit(rng);
        fills.push_back({grey, grey, grey});
    }
    const float background = 228 + 20 * unit(rng);
    for (int y = 0; y < S; ++y)
        for (int x = 0; x < S; ++x) {
            const float noise = (unit(rng) - 0.5f) * 8;
            float rgb[3] = {background + noise, background + noise, background + noise};
            for (size_t i = 0; i < objects.size(); ++i) {
                const float a = coverage(objects[i], x, y);
                if (a <= 0) continue;
                rgb[0] = rgb[0] * (1 - a) + fills[i].r * a;
                rgb[1] = rgb[1] * (1 - a) + fills[i].g * a;
                rgb[2] = rgb[2] * (1 - a) + fills[i].b * a;
                if (i == 0 && a >= 0.5f) img.object[size_t(y * S + x)] = 1;
            }
            for (int ch = 0; ch < 3; ++ch) img.rgb.at(ch, y, x) = std::round(std::clamp(rgb[ch], 0.0f, 255.0f));
        }
    return img;
}

std::vector<ShapesImage> ShapesDataset::heldOut(int count) const {
    std::mt19937 rng(m_seed ^ 0x5eed1e55u);
    std::vector<ShapesImage> images;
    for (int i = 0; i < count; ++i) images.push_back(sample(rng));
    return images;
}

bool patchTouchesObject(const ShapesImage& image, int patch, int row, int column) {
    const int S = image.rgb.width;
    for (int y = row * patch; y < std::min(S, (row + 1) * patch); ++y)
        for (int x = column * patch; x < std::min(S, (column + 1) * patch); ++x)
            if (image.object[size_t(y * S + x)]) return true;
    return false;
}

}  // namespace attnscope::core::train
