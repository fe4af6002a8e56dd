#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <vector>

namespace attnscope::test {

// Builds safetensors files in tests, valid or deliberately broken.
struct TensorSpec {
    QString name;
    QString dtype = QStringLiteral("F32");
    std::vector<int64_t> shape;
    std::vector<float> values;  // written as F32 (dtype F32 only); else zero bytes of the right size
};

// u64 length + JSON header (padded to 8) + data, with correct contiguous offsets.
QByteArray buildSafetensors(const std::vector<TensorSpec>& tensors);
// A file from a raw header and data buffer (for broken layouts).
QByteArray rawSafetensors(const QByteArray& header, const QByteArray& data, int64_t declaredLength = -1);
bool writeFile(const QString& path, const QByteArray& bytes);

}  // namespace attnscope::test
