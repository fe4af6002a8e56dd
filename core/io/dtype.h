#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace attnscope::core {

// Element types a safetensors file may declare (the names are the format's own).
enum class DType { Bool, U8, I8, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64 };

std::optional<DType> dtypeFromName(const QString& name);
QString dtypeName(DType dtype);
int dtypeSize(DType dtype);  // bytes per element

}  // namespace attnscope::core
