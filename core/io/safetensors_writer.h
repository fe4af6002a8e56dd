#pragma once

#include "util/result.h"
#include "util/shape.h"

#include <QHash>
#include <QString>

#include <vector>

namespace attnscope::core {

// Writes F32 tensors as a safetensors file (header padded to 8 bytes, offsets contiguous),
// through a temporary file renamed on success.
struct NamedTensor {
    QString name;
    Shape shape;
    const float* data = nullptr;
};

Status writeSafetensors(const QString& path, const std::vector<NamedTensor>& tensors,
                        const QHash<QString, QString>& metadata = {});

}  // namespace attnscope::core
