#pragma once

// Comparing AttnScope's numbers with a reference's nested JSON arrays.
#include <QJsonArray>
#include <QList>

#include <algorithm>
#include <cmath>

namespace attnscope::test {

// Largest |ours - reference| over a nested JSON array; ours is read through at(index path).
template <typename At>
double maxError(const QJsonArray& ref, At at, QList<int> path = {}) {
    double worst = 0;
    for (int i = 0; i < ref.size(); ++i) {
        QList<int> p = path;
        p << i;
        worst = std::max(worst, ref[i].isArray() ? maxError(ref[i].toArray(), at, p) : std::abs(double(at(p)) - ref[i].toDouble()));
    }
    return worst;
}

}  // namespace attnscope::test
