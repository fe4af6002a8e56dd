#include "io/dtype.h"

#include <array>
#include <utility>

namespace attnscope::core {
namespace {

struct DTypeRow {
    DType dtype;
    const char* name;
    int size;
};

constexpr std::array<DTypeRow, 13> kDTypes{{
    {DType::Bool, "BOOL", 1},
    {DType::U8, "U8", 1},
    {DType::I8, "I8", 1},
    {DType::I16, "I16", 2},
    {DType::U16, "U16", 2},
    {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2},
    {DType::I32, "I32", 4},
    {DType::U32, "U32", 4},
    {DType::F32, "F32", 4},
    {DType::F64, "F64", 8},
    {DType::I64, "I64", 8},
    {DType::U64, "U64", 8},
}};

}  // namespace

std::optional<DType> dtypeFromName(const QString& name) {
    for (const auto& row : kDTypes)
        if (name == QLatin1String(row.name)) return row.dtype;
    return std::nullopt;
}

QString dtypeName(DType dtype) {
    for (const auto& row : kDTypes)
        if (row.dtype == dtype) return QString::fromLatin1(row.name);
    return QStringLiteral("?");
}

int dtypeSize(DType dtype) {
    for (const auto& row : kDTypes)
        if (row.dtype == dtype) return row.size;
    return 0;
}

}  // namespace attnscope::core
