#pragma once

#include "io/dtype.h"
#include "util/result.h"
#include "util/shape.h"

#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QString>

#include <memory>
#include <vector>

namespace attnscope::core {

// One tensor's entry in a safetensors header. Offsets are relative to the data buffer, end exclusive.
struct TensorInfo {
    QString name;
    DType dtype = DType::F32;
    Shape shape;
    uint64_t begin = 0;
    uint64_t end = 0;
};

// The parsed and fully validated header of a safetensors file.
struct SafetensorsHeader {
    std::vector<TensorInfo> tensors;  // in header order
    QHash<QString, QString> metadata;
};

// A memory-mapped safetensors file: u64 LE header length N, N bytes of JSON, then the data buffer.
// open() checks everything the reference reader checks before any tensor data is touched.
class SafetensorsFile {
public:
    static constexpr uint64_t kMaxHeaderBytes = 100'000'000;

    static Result<std::unique_ptr<SafetensorsFile>> open(const QString& path);

    // Parses and validates a header against a data buffer of bufferBytes (exposed for tests).
    static Result<SafetensorsHeader> parseHeader(const QByteArray& json, uint64_t bufferBytes);

    const QString& path() const { return m_path; }
    const std::vector<TensorInfo>& tensors() const { return m_header.tensors; }
    const QHash<QString, QString>& metadata() const { return m_header.metadata; }
    const TensorInfo* find(const QString& name) const;
    // Start of a tensor's bytes in the mapping (not necessarily aligned).
    const uchar* bytes(const TensorInfo& info) const { return m_data + info.begin; }
    // Drops the whole pages of [data, data + size) from this process's memory when they lie in this
    // file's mapping (read again from the file if touched later); returns whether they did.
    bool releasePages(const void* data, uint64_t size) const;

private:
    SafetensorsFile() = default;

    QString m_path;
    QFile m_file;
    const uchar* m_data = nullptr;  // start of the data buffer inside the mapping
    const uchar* m_map = nullptr;   // the mapping, m_mapSize bytes
    uint64_t m_mapSize = 0;
    SafetensorsHeader m_header;
    QHash<QString, int> m_index;  // name -> position in m_header.tensors
};

}  // namespace attnscope::core
