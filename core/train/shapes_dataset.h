#pragma once

#include "model/image_tensor.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <random>
#include <vector>

namespace attnscope::core::train {

// One generated picture: a light canvas with a few grey shapes and exactly one coloured shape; the
// label is that shape's colour.
struct ShapesImage {
    ImageTensor rgb;             // (3, S, S), values 0..255
    int label = 0;               // index into ShapesDataset::colourNames()
    int shape = 0;               // index into ShapesDataset::shapeNames()
    std::vector<uint8_t> object;  // (S, S): 1 where the coloured shape covers at least half a pixel
    QString name() const;        // "blue circle"
};

// The images AttnScope's image teaching model learns from. Deterministic for a seed; held-out
// images come from a separate random stream, so they never repeat training images.
class ShapesDataset {
public:
    explicit ShapesDataset(int size = 64, uint32_t seed = 11);

    static const QStringList& colourNames();  // the labels
    static const QStringList& shapeNames();

    int size() const { return m_size; }
    ShapesImage sample(std::mt19937& rng) const;
    // Like sample() with a given colour and shape (examples shipped with the model).
    ShapesImage sample(std::mt19937& rng, int colour, int shape) const;
    std::vector<ShapesImage> heldOut(int count) const;

private:
    int m_size;
    uint32_t m_seed;
};

// Whether patch (row, column) of a grid of `patch`-pixel patches covers any pixel of the object.
bool patchTouchesObject(const ShapesImage& image, int patch, int row, int column);

}  // namespace attnscope::core::train
