#pragma once

#include "io/dtype.h"
#include "util/result.h"
#include "util/shape.h"

#include <QHash>
#include <QString>

#include <vector>

namespace attnscope::core {

// Writes tensors as a safetensors file (header padded to 8 bytes, offsets contiguous), through a
// temporary file renamed on success: F32 from data, BF16/F16 from data16 as stored, U8 from data8.
struct NamedTensor {
    QString name;
    Shape shape;
    const float* data = nullptr;
    const uint16_t* data16 = nullptr;  // with dtype BF16 or F16
    DType dtype = DType::F32;
    const uint8_t* data8 = nullptr;    // with dtype U8
};

Status writeSafetensors(const QString& path, const std::vector<NamedTensor>& tensors,
                        const QHash<QString, QString>& metadata = {});

}  // namespace attnscope::core
