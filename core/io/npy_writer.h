#pragma once

#include "util/result.h"
#include "util/shape.h"

#include <QByteArray>
#include <QIODevice>

namespace attnscope::core {

// NumPy .npy (format 1.0): little-endian float32 '<f4', C order. The header is padded so the data
// starts at a multiple of 64 bytes.
QByteArray npyHeader(const Shape& shape);
// Writes header + data (shapeElements(shape) floats) to a device.
Status writeNpy(QIODevice& out, const Shape& shape, const float* data);

}  // namespace attnscope::core
