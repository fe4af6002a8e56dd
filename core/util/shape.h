#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace attnscope::core {

using Shape = std::vector<int64_t>;

inline QString shapeToString(const Shape& shape) {
    QStringList parts;
    for (int64_t d : shape) parts << QString::number(d);
    return QStringLiteral("[") + parts.join(QStringLiteral(", ")) + QStringLiteral("]");
}

inline int64_t shapeElements(const Shape& shape) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

}  // namespace attnscope::core
