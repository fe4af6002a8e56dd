#pragma once

#include <cstddef>
#include <vector>

namespace attnscope::core {

// An image as floats, channel-major: data[(c * height + y) * width + x]. Decoding (QImage) happens
// outside the core; preprocessing (resize, rescale, normalise) produces the model's input.
struct ImageTensor {
    int channels = 3;
    int height = 0;
    int width = 0;
    std::vector<float> data;  // (C, H, W)

    float at(int c, int y, int x) const { return data[(size_t(c) * size_t(height) + size_t(y)) * size_t(width) + size_t(x)]; }
    float& at(int c, int y, int x) { return data[(size_t(c) * size_t(height) + size_t(y)) * size_t(width) + size_t(x)]; }
};

}  // namespace attnscope::core
