#pragma once

#include "io/safetensors_file.h"
#include "util/result.h"

#include <QHash>
#include <QString>

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace attnscope::core {

// The tensors of a trace file kept where they are: one memory-mapped safetensors file, or the
// shards an index names (docs/trace-format.md). Nothing is read until asked for; the operating
// system pages in what a view touches, so a trace larger than memory opens.
//
// Per model layer l, each [count, n, width] (count heads, n tokens):
//   attentions.{l}  [h, n, n]   scores.{l} [h, n, n]   q.{l} [h, n, d]   k.{l}, v.{l} [g, n, d]
// and hidden_states.{i} [n, H], i in [0, L]. F32, F16 or BF16.
class TraceStore {
public:
    enum Kind { Attentions, Scores, Q, K, V, kKinds };

    // A safetensors file, or a JSON index {"metadata": {...}, "weight_map": {tensor: shard}} whose
    // shards lie beside it.
    static Result<std::shared_ptr<TraceStore>> open(const QString& path);

    const QString& path() const { return m_path; }
    // The trace's __metadata__: the index's "metadata", or the first shard's that has 'format'.
    const QHash<QString, QString>& metadata() const { return m_metadata; }
    uint64_t fileBytes() const { return m_fileBytes; }
    // Every tensor name with where it is.
    const TensorInfo* find(const QString& name) const;
    QStringList names() const { return m_where.keys(); }
    // A tensor's stored bytes as mapped (nullptr when absent).
    const uchar* bytes(const QString& name) const;

    // Binds each kind of each held layer (model layer numbers, in trace order) and each hidden
    // state to its tensor; call once after the shapes were checked. A missing tensor stays unbound.
    void bind(const std::vector<int>& layers, int hiddenStates);
    bool has(Kind kind, int layer) const { return slot(kind, layer).info != nullptr; }
    bool hasHidden(int index) const { return index < int(m_hidden.size()) && m_hidden[size_t(index)].info; }
    DType dtype(Kind kind, int layer) const { return slot(kind, layer).info->dtype; }

    // Head `head`'s block of layer `layer` (trace order), widened to float32 into out (rows x width
    // floats, the tensor's last two dimensions): copied each time, nothing kept.
    void read(Kind kind, int layer, int head, float* out) const;
    // The same block as float32 that stays valid as long as the store: the mapping itself when the
    // tensor is F32 and aligned, else widened once and kept.
    const float* block(Kind kind, int layer, int head) const;
    // Whether block() hands out the mapping itself (F32, aligned) rather than a widened copy kept
    // for the store's life.
    bool mapped(Kind kind, int layer, int head) const;
    // hidden_states.{index} (n, H) as float32, valid as long as the store (kept once widened).
    const float* hidden(int index) const;
    // Bytes widened and kept so far.
    uint64_t keptBytes() const;

private:
    struct Slot {
        const TensorInfo* info = nullptr;
        const uchar* data = nullptr;
        int64_t blockFloats = 0;  // floats of one head's block (the last two dimensions)
    };
    TraceStore() = default;
    Status addFile(const QString& path);
    const Slot& slot(Kind kind, int layer) const { return m_slots[size_t(layer) * kKinds + size_t(kind)]; }
    Slot bindName(const QString& name) const;
    const float* kept(const Slot& s, int64_t key, int head) const;

    QString m_path;
    QHash<QString, QString> m_metadata;
    uint64_t m_fileBytes = 0;
    std::vector<std::unique_ptr<SafetensorsFile>> m_files;
    QHash<QString, int> m_where;  // tensor -> index in m_files
    std::vector<Slot> m_slots;    // (layers, kKinds)
    std::vector<Slot> m_hidden;   // (L + 1)
    mutable std::mutex m_mutex;
    mutable std::unordered_map<int64_t, std::unique_ptr<float[]>> m_kept;  // widened blocks
    mutable uint64_t m_keptBytes = 0;
};

}  // namespace attnscope::core
