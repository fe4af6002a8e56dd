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

// A tensor as stored, for kernels that widen 16-bit weights themselves: F32, BF16 or F16.
struct StoredWeight {
    const void* data = nullptr;
    DType dtype = DType::F32;  // F32, BF16 or F16
    Shape shape;
};

// The weights of a Hugging Face model folder: model.safetensors, or the shards listed by
// model.safetensors.index.json. Tensors are used in place (memory-mapped, no copy): F32 through
// get(), F32, BF16 and F16 through getStored(). get() widens F16, BF16 and F64 tensors to F32 once, on
// first request (norms, biases, position tables); getStored() widens only F64 (and copies a tensor
// whose address is not aligned to its element).
class Checkpoint {
public:
    static Result<std::shared_ptr<Checkpoint>> open(const QString& folder);
    // A single file (tests, tools).
    static Result<std::shared_ptr<Checkpoint>> openFile(const QString& path);
    // Random weights of whatever shape the model asks for (benchmarks of real architectures
    // without their files). Values are uniform in [-0.05, 0.05], fixed by the seed and the name.
    // With storage BF16 or F16, getStored() gives every tensor in that type (get() the same values
    // widened), as a checkpoint saved in it would.
    static std::shared_ptr<Checkpoint> synthetic(uint32_t seed, DType storage = DType::F32);

    // A synthetic checkpoint has every tensor a model asks for, except a separate lm_head.weight:
    // the synthetic architectures tie their LM heads to the embeddings, as their checkpoints do.
    bool has(const QString& name) const {
        return m_synthetic ? name != QLatin1String("lm_head.weight") : m_where.contains(name);
    }
    const TensorInfo* info(const QString& name) const;
    QStringList names() const;  // a synthetic checkpoint's: those requested so far
    // Writes a synthetic checkpoint's tensors requested so far, each in its storage type, as one
    // safetensors file (what a model folder of those random weights would hold).
    Status saveSynthetic(const QString& path);
    // The tensor as F32 with exactly the expected shape; otherwise an error naming the tensor.
    Result<Weight> get(const QString& name, const Shape& expected);
    // The tensor as stored (F32, BF16, F16) with exactly the expected shape.
    Result<StoredWeight> getStored(const QString& name, const Shape& expected);
    uint64_t fileBytes() const { return m_fileBytes; }
    // Bytes allocated for weights (widened, realigned or synthetic), beyond the mapped files.
    uint64_t ownedBytes() const { return m_ownedBytes; }
    QString storageDType() const;  // e.g. "F32", or "F16+F32" when mixed
    // Weights packed for the micro-kernels (kernels::PackedLinear): checks the memory budget for
    // `bytes` more, counted with the owned bytes.
    Status reservePacked(const QString& name, uint64_t bytes);
    // Once a tensor is packed, its stored pages leave the process's memory when they are mapped from
    // a file (read again if touched: nothing is lost); owned tensors stay.
    void releaseStored(const void* data, uint64_t bytes) const;

private:
    Checkpoint() = default;
    Status addFile(const QString& path);
    // Checks the memory budget before `bytes` for a tensor are allocated.
    enum class Owned { Widened, Realigned, Synthetic, Packed };
    Status reserveOwned(const QString& name, uint64_t bytes, Owned why);
    // The file tensor's info once its name, shape and floating-point type are checked.
    Result<const TensorInfo*> checkedInfo(const QString& name, const Shape& expected) const;
    // A synthetic tensor's values (uniform in [-0.05, 0.05], rounded to the storage type), written
    // straight into out (count floats) or out16 (count values of the storage type).
    void fillSynthetic(const QString& name, int64_t count, float* out, uint16_t* out16) const;

    std::vector<std::unique_ptr<SafetensorsFile>> m_files;
    QHash<QString, int> m_where;  // tensor name -> index in m_files
    QHash<QString, Weight> m_cache;
    QHash<QString, StoredWeight> m_storedCache;
    std::vector<std::unique_ptr<float[]>> m_owned;  // widened or realigned tensors
    std::vector<std::unique_ptr<uint16_t[]>> m_owned16;  // realigned or synthetic 16-bit tensors
    uint64_t m_fileBytes = 0;
    uint64_t m_ownedBytes = 0;
    bool m_synthetic = false;
    uint32_t m_seed = 0;
    DType m_syntheticType = DType::F32;
};

}  // namespace attnscope::core
