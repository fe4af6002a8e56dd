#include "trace/trace_store.h"

#include "io/half_float.h"
#include "util/input_file.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>

namespace attnscope::core {
namespace {

const char* const kKindNames[TraceStore::kKinds] = {"attentions", "scores", "q", "k", "v"};

bool plainFileName(const QString& name) {
    return !name.isEmpty() && !name.contains(QLatin1Char('/')) && !name.contains(QLatin1Char('\\')) &&
           !name.contains(QStringLiteral("..")) && name != QLatin1String(".");
}

void widen(DType dtype, const uchar* src, float* dst, int64_t count) {
    switch (dtype) {
        case DType::F32:
            std::memcpy(dst, src, size_t(count) * sizeof(float));
            break;
        case DType::F16:
            for (int64_t i = 0; i < count; ++i) dst[i] = halfToFloat(uint16_t(src[2 * i] | (src[2 * i + 1] << 8)));
            break;
        case DType::BF16:
            for (int64_t i = 0; i < count; ++i) dst[i] = bf16ToFloat(uint16_t(src[2 * i] | (src[2 * i + 1] << 8)));
            break;
        default:
            std::fill_n(dst, count, 0.0f);  // the reader accepts only the three types above
            break;
    }
}

}  // namespace

Result<std::shared_ptr<TraceStore>> TraceStore::open(const QString& path) {
    std::shared_ptr<TraceStore> store(new TraceStore);
    store->m_path = path;
    if (!path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) {
        if (Status s = store->addFile(path); !s) return s.error();
        store->m_metadata = store->m_files.front()->metadata();
        return store;
    }
    auto bytes = readInputFile(path, kMaxConfigBytes);
    if (!bytes) return bytes.error();
    const QString name = QFileInfo(path).fileName();
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return inputError(QStringLiteral("%1: not a JSON object (%2)").arg(name, err.errorString()));
    const QJsonValue map = doc.object().value(QStringLiteral("weight_map"));
    if (!map.isObject() || map.toObject().isEmpty())
        return inputError(QStringLiteral("%1: 'weight_map' is missing, empty or not an object (a sharded trace's index lists its tensors)").arg(name));
    QStringList shards;
    const QJsonObject weights = map.toObject();
    for (auto it = weights.begin(); it != weights.end(); ++it) {
        const QString shard = it.value().toString();
        if (!it.value().isString() || !plainFileName(shard))
            return inputError(QStringLiteral("%1: shard '%2' of tensor '%3' is not a plain file name beside the index")
                                  .arg(name, it.value().toVariant().toString().left(80), it.key().left(80)));
        if (!shards.contains(shard)) shards << shard;
    }
    const QDir dir = QFileInfo(path).dir();
    for (const QString& shard : shards)
        if (Status s = store->addFile(dir.filePath(shard)); !s) return s.error();
    for (auto it = weights.begin(); it != weights.end(); ++it) {
        const auto where = store->m_where.constFind(it.key());
        if (where == store->m_where.constEnd() || QFileInfo(store->m_files[size_t(*where)]->path()).fileName() != it.value().toString())
            return inputError(QStringLiteral("%1: tensor '%2' is listed in shard '%3' but not found there").arg(name, it.key().left(80), it.value().toString()));
    }
    const QJsonObject meta = doc.object().value(QStringLiteral("metadata")).toObject();
    if (meta.contains(QStringLiteral("format"))) {
        for (auto it = meta.begin(); it != meta.end(); ++it) store->m_metadata.insert(it.key(), it.value().toString());
    } else {
        for (const auto& file : store->m_files)
            if (file->metadata().contains(QStringLiteral("format"))) {
                store->m_metadata = file->metadata();
                break;
            }
    }
    return store;
}

Status TraceStore::addFile(const QString& path) {
    auto file = SafetensorsFile::open(path);
    if (!file) return file.error();
    const int index = int(m_files.size());
    for (const TensorInfo& t : (*file)->tensors()) {
        if (m_where.contains(t.name))
            return inputError(QStringLiteral("tensor '%1' appears in more than one shard (%2)").arg(t.name, QFileInfo(path).fileName()));
        m_where.insert(t.name, index);
    }
    m_fileBytes += uint64_t(QFileInfo(path).size());
    m_files.push_back(std::move(file).value());
    return {};
}

const TensorInfo* TraceStore::find(const QString& name) const {
    const auto it = m_where.constFind(name);
    return it == m_where.constEnd() ? nullptr : m_files[size_t(*it)]->find(name);
}

const uchar* TraceStore::bytes(const QString& name) const { return bindName(name).data; }

TraceStore::Slot TraceStore::bindName(const QString& name) const {
    Slot s;
    const auto it = m_where.constFind(name);
    if (it == m_where.constEnd()) return s;
    const SafetensorsFile& file = *m_files[size_t(*it)];
    s.info = file.find(name);
    s.data = file.bytes(*s.info);
    const Shape& shape = s.info->shape;
    s.blockFloats = shape.size() >= 2 ? shape[shape.size() - 1] * shape[shape.size() - 2] : 0;
    return s;
}

void TraceStore::bind(const std::vector<int>& layers, int hiddenStates) {
    m_slots.assign(layers.size() * kKinds, Slot());
    for (size_t i = 0; i < layers.size(); ++i)
        for (int k = 0; k < kKinds; ++k)
            m_slots[i * kKinds + size_t(k)] = bindName(QStringLiteral("%1.%2").arg(QLatin1String(kKindNames[k])).arg(layers[i]));
    m_hidden.assign(size_t(std::max(0, hiddenStates)), Slot());
    for (int i = 0; i < hiddenStates; ++i) m_hidden[size_t(i)] = bindName(QStringLiteral("hidden_states.%1").arg(i));
}

namespace {

// Head `head`'s block of a bound tensor, and whether it can be read in place as float32.
const uchar* headBytes(const uchar* data, int64_t blockFloats, DType dtype, int head) { return data + head * blockFloats * dtypeSize(dtype); }
bool inPlace(const uchar* at, DType dtype) { return dtype == DType::F32 && reinterpret_cast<uintptr_t>(at) % alignof(float) == 0; }

}  // namespace

void TraceStore::read(Kind kind, int layer, int head, float* out) const {
    const Slot& s = slot(kind, layer);
    widen(s.info->dtype, headBytes(s.data, s.blockFloats, s.info->dtype, head), out, s.blockFloats);
}

const float* TraceStore::kept(const Slot& s, int64_t key, int head) const {
    const uchar* at = headBytes(s.data, s.blockFloats, s.info->dtype, head);
    if (inPlace(at, s.info->dtype)) return reinterpret_cast<const float*>(at);
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& slotted = m_kept[key];
    if (!slotted) {
        slotted.reset(new float[size_t(s.blockFloats)]);
        widen(s.info->dtype, at, slotted.get(), s.blockFloats);
        m_keptBytes += uint64_t(s.blockFloats) * sizeof(float);
    }
    return slotted.get();
}

bool TraceStore::mapped(Kind kind, int layer, int head) const {
    const Slot& s = slot(kind, layer);
    return inPlace(headBytes(s.data, s.blockFloats, s.info->dtype, head), s.info->dtype);
}

const float* TraceStore::block(Kind kind, int layer, int head) const {
    const int64_t key = ((int64_t(layer) * kKinds + kind) << 24) + head;
    return kept(slot(kind, layer), key, head);
}

const float* TraceStore::hidden(int index) const {
    const Slot& s = m_hidden[size_t(index)];
    const int64_t key = -1 - int64_t(index);
    return kept(s, key, 0);
}

uint64_t TraceStore::keptBytes() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_keptBytes;
}

}  // namespace attnscope::core
