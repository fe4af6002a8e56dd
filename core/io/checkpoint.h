#pragma once

#include "io/safetensors_file.h"
#include "util/result.h"
#include "util/shape.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace attnscope::core {

// Read-only float32 weights, row-major, owned by the Checkpoint they came from.
struct Weight {
    const float* data = nullptr;
    Shape shape;
    int64_t rows() const { return shape.empty() ? 0 : shape[0]; }
    int64_t cols() const { return shape.size() < 2 ? 1 : shape[1]; }
};

// The weights of a Hugging Face model folder: model.safetensors, or the shards listed by
// model.safetensors.index.json. F32 tensors are used in place (memory-mapped, no copy); F16, BF16 and
// F64 tensors are widened to F32 once, on first request.
class Checkpoint {
public:
    static Result<std::shared_ptr<Checkpoint>> open(const QString& folder);
    // A single file (tests, tools).
    static Result<std::shared_ptr<Checkpoint>> openFile(const QString& path);
    // Random weights of whatever shape the model asks for (benchmarks of real architectures
    // without their files). Values are uniform in [-0.05, 0.05], fixed by the seed and the name.
    static std::shared_ptr<Checkpoint> synthetic(uint32_t seed);

    bool has(const QString& name) const { return m_synthetic || m_where.contains(name); }
    const TensorInfo* info(const QString& name) const;
    QStringList names() const;
    // The tensor as F32 with exactly the expected shape; otherwise an error naming the tensor.
    Result<Weight> get(const QString& name, const Shape& expected);
    uint64_t fileBytes() const { return m_fileBytes; }
    QString storageDType() const;  // e.g. "F32", or "F16+F32" when mixed

private:
    Checkpoint() = default;
    Status addFile(const QString& path);
    // Checks the memory budget before a tensor of `elements` floats is allocated.
    enum class Owned { Widened, Realigned, Synthetic };
    Status reserveOwned(const QString& name, int64_t elements, Owned why);

    std::vector<std::unique_ptr<SafetensorsFile>> m_files;
    QHash<QString, int> m_where;  // tensor name -> index in m_files
    QHash<QString, Weight> m_cache;
    std::vector<std::unique_ptr<float[]>> m_owned;  // widened or realigned tensors
    uint64_t m_fileBytes = 0;
    uint64_t m_ownedBytes = 0;
    bool m_synthetic = false;
    uint32_t m_seed = 0;
};

}  // namespace attnscope::core
