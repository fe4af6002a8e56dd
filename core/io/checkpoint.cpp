#include "io/checkpoint.h"

#include "io/half_float.h"
#include "io/safetensors_writer.h"
#include "util/input_file.h"
#include "util/memory_budget.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cstring>

namespace attnscope::core {
namespace {

const QString kSingleFile = QStringLiteral("model.safetensors");
const QString kIndexFile = QStringLiteral("model.safetensors.index.json");

bool isPlainFileName(const QString& name) {
    return !name.isEmpty() && !name.contains(QLatin1Char('/')) && !name.contains(QLatin1Char('\\')) &&
           !name.contains(QStringLiteral("..")) && name != QLatin1String(".");
}

void widen(const TensorInfo& info, const uchar* src, float* dst, int64_t n) {
    switch (info.dtype) {
        case DType::F32:
            std::memcpy(dst, src, size_t(n) * sizeof(float));
            break;
        case DType::F16:
            for (int64_t i = 0; i < n; ++i) dst[i] = halfToFloat(uint16_t(src[2 * i] | (src[2 * i + 1] << 8)));
            break;
        case DType::BF16:
            for (int64_t i = 0; i < n; ++i) dst[i] = bf16ToFloat(uint16_t(src[2 * i] | (src[2 * i + 1] << 8)));
            break;
        case DType::F64:
            for (int64_t i = 0; i < n; ++i) {
                double d;
                std::memcpy(&d, src + 8 * i, 8);
                dst[i] = float(d);
            }
            break;
        default:
            break;
    }
}

}  // namespace

Result<std::shared_ptr<Checkpoint>> Checkpoint::openFile(const QString& path) {
    std::shared_ptr<Checkpoint> ckpt(new Checkpoint);
    if (Status s = ckpt->addFile(path); !s) return s.error();
    return ckpt;
}

std::shared_ptr<Checkpoint> Checkpoint::synthetic(uint32_t seed, DType storage) {
    std::shared_ptr<Checkpoint> ckpt(new Checkpoint);
    ckpt->m_synthetic = true;
    ckpt->m_seed = seed;
    ckpt->m_syntheticType = storage == DType::BF16 || storage == DType::F16 ? storage : DType::F32;
    return ckpt;
}

void Checkpoint::fillSynthetic(const QString& name, int64_t count, float* out, uint16_t* out16) const {
    uint32_t state = (m_seed ^ uint32_t(qHash(name)) ^ 0x9e3779b9u) | 1u;
    for (int64_t i = 0; i < count; ++i) {  // xorshift32
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        const float v = (float(state) / 4294967296.0f - 0.5f) * 0.1f;
        const uint16_t stored = m_syntheticType == DType::BF16 ? floatToBf16(v) : m_syntheticType == DType::F16 ? floatToHalf(v) : 0;
        if (out16) out16[i] = stored;
        if (out)
            out[i] = m_syntheticType == DType::BF16 ? bf16ToFloat(stored) : m_syntheticType == DType::F16 ? halfToFloat(stored) : v;
    }
}

Result<std::shared_ptr<Checkpoint>> Checkpoint::open(const QString& folder) {
    const QDir dir(folder);
    if (QFileInfo::exists(dir.filePath(kSingleFile))) return openFile(dir.filePath(kSingleFile));
    if (!QFileInfo::exists(dir.filePath(kIndexFile)))
        return inputError(QStringLiteral("%1: no %2 or %3 (AttnScope reads safetensors checkpoints)")
                              .arg(folder, kSingleFile, kIndexFile));

    auto indexBytes = readInputFile(dir.filePath(kIndexFile), kMaxConfigBytes);
    if (!indexBytes) return indexBytes.error();
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(*indexBytes, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return inputError(QStringLiteral("%1: not a JSON object (%2)").arg(kIndexFile, err.errorString()));
    const QJsonValue mapValue = doc.object().value(QStringLiteral("weight_map"));
    if (!mapValue.isObject())
        return inputError(QStringLiteral("%1: 'weight_map' is missing or not an object").arg(kIndexFile));
    const QJsonObject weightMap = mapValue.toObject();

    QStringList shards;
    for (auto it = weightMap.begin(); it != weightMap.end(); ++it) {
        const QString shard = it.value().toString();
        if (!it.value().isString() || !isPlainFileName(shard))
            return inputError(QStringLiteral("%1: shard name '%2' for tensor '%3' is not a plain file "
                                             "name in the model folder")
                                  .arg(kIndexFile, it.value().toVariant().toString(), it.key()));
        if (!shards.contains(shard)) shards << shard;
    }
    std::shared_ptr<Checkpoint> ckpt(new Checkpoint);
    for (const QString& shard : shards)
        if (Status s = ckpt->addFile(dir.filePath(shard)); !s) return s.error();
    for (auto it = weightMap.begin(); it != weightMap.end(); ++it) {
        const auto where = ckpt->m_where.constFind(it.key());
        if (where == ckpt->m_where.constEnd())
            return inputError(QStringLiteral("%1: tensor '%2' is listed in shard '%3' but not found there")
                                  .arg(kIndexFile, it.key(), it.value().toString()));
    }
    return ckpt;
}

Status Checkpoint::addFile(const QString& path) {
    auto file = SafetensorsFile::open(path);
    if (!file) return file.error();
    const int index = int(m_files.size());
    for (const TensorInfo& t : (*file)->tensors()) {
        if (m_where.contains(t.name))
            return inputError(QStringLiteral("tensor '%1' appears in more than one shard (%2)")
                                  .arg(t.name, QFileInfo(path).fileName()));
        m_where.insert(t.name, index);
    }
    m_fileBytes += uint64_t(QFileInfo(path).size());
    m_files.push_back(std::move(file).value());
    return {};
}

const TensorInfo* Checkpoint::info(const QString& name) const {
    const auto it = m_where.constFind(name);
    return it == m_where.constEnd() ? nullptr : m_files[size_t(*it)]->find(name);
}

QStringList Checkpoint::names() const {
    if (!m_synthetic) return m_where.keys();
    QSet<QString> all(m_cache.keyBegin(), m_cache.keyEnd());
    for (auto it = m_storedCache.keyBegin(); it != m_storedCache.keyEnd(); ++it) all.insert(*it);
    QStringList list(all.begin(), all.end());
    list.sort();
    return list;
}

Status Checkpoint::saveSynthetic(const QString& path) {
    if (!m_synthetic) return internalError(QStringLiteral("only a synthetic checkpoint is saved this way"));
    std::vector<NamedTensor> tensors;
    for (const QString& name : names()) {
        const Shape shape = m_storedCache.contains(name) ? m_storedCache.value(name).shape : m_cache.value(name).shape;
        auto w = getStored(name, shape);
        if (!w) return w.error();
        NamedTensor t{name, shape};
        t.dtype = w->dtype;
        if (w->dtype == DType::F32) t.data = static_cast<const float*>(w->data);
        else t.data16 = static_cast<const uint16_t*>(w->data);
        tensors.push_back(t);
    }
    return writeSafetensors(path, tensors, {{QStringLiteral("format"), QStringLiteral("pt")}});
}

QString Checkpoint::storageDType() const {
    if (m_synthetic) return QStringLiteral("synthetic ") + dtypeName(m_syntheticType);
    QSet<QString> kinds;
    for (const auto& f : m_files)
        for (const auto& t : f->tensors()) kinds.insert(dtypeName(t.dtype));
    QStringList list(kinds.begin(), kinds.end());
    list.sort();
    return list.join(QLatin1Char('+'));
}

Status Checkpoint::reserveOwned(const QString& name, uint64_t bytes, Owned why) {
    const uint64_t total = m_ownedBytes + bytes < m_ownedBytes ? ~uint64_t(0) : m_ownedBytes + bytes;
    const QString what = why == Owned::Widened     ? QStringLiteral("widening the weights to float32 (up to tensor '%1')").arg(name)
                         : why == Owned::Realigned ? QStringLiteral("copying the weights into aligned memory (up to tensor '%1')").arg(name)
                         : why == Owned::Packed    ? QStringLiteral("packing the weights for the matrix kernels (up to tensor '%1')").arg(name)
                                                   : QStringLiteral("making random weights (up to tensor '%1')").arg(name);
    if (Status s = checkMemory(total, what, why == Owned::Widened ? QStringLiteral("use a float32 checkpoint or a smaller model")
                                                                  : QStringLiteral("use a smaller model"));
        !s)
        return s;
    m_ownedBytes = total;
    return {};
}

Status Checkpoint::reservePacked(const QString& name, uint64_t bytes) { return reserveOwned(name, bytes, Owned::Packed); }

void Checkpoint::releaseStored(const void* data, uint64_t bytes) const {
    for (const auto& file : m_files)
        if (file->releasePages(data, bytes)) return;
}

namespace {

uint64_t bytesOf(int64_t elements, size_t size) {
    return saturatingProduct({uint64_t(std::max<int64_t>(elements, 1)), uint64_t(size)});
}

Error shapeMismatch(const QString& name, const Shape& expected, const Shape& found) {
    return inputError(QStringLiteral("tensor '%1': expected shape %2, found %3")
                          .arg(name, shapeToString(expected), shapeToString(found)));
}

}  // namespace

Result<const TensorInfo*> Checkpoint::checkedInfo(const QString& name, const Shape& expected) const {
    const TensorInfo* t = info(name);
    if (!t)
        return inputError(QStringLiteral("missing tensor '%1' (expected shape %2)")
                              .arg(name, shapeToString(expected)));
    if (t->shape != expected) return shapeMismatch(name, expected, t->shape);
    if (t->dtype != DType::F32 && t->dtype != DType::F16 && t->dtype != DType::BF16 &&
        t->dtype != DType::F64)
        return inputError(QStringLiteral("tensor '%1': dtype %2 is not a floating-point type")
                              .arg(name, dtypeName(t->dtype)));
    return t;
}


Result<Weight> Checkpoint::get(const QString& name, const Shape& expected) {
    if (const auto cached = m_cache.constFind(name); cached != m_cache.constEnd()) {
        if (cached->shape != expected) return shapeMismatch(name, expected, cached->shape);
        return *cached;
    }
    if (m_synthetic) {
        const int64_t n = shapeElements(expected);
        if (Status s = reserveOwned(name, bytesOf(n, sizeof(float)), Owned::Synthetic); !s) return s.error();
        m_owned.emplace_back(new float[size_t(std::max<int64_t>(n, 1))]);
        fillSynthetic(name, n, m_owned.back().get(), nullptr);
        m_cache.insert(name, Weight{m_owned.back().get(), expected});
        return m_cache.value(name);
    }
    auto checked = checkedInfo(name, expected);
    if (!checked) return checked.error();
    const TensorInfo* t = *checked;
    const uchar* src = m_files[size_t(m_where.value(name))]->bytes(*t);
    const int64_t n = shapeElements(t->shape);
    Weight w{nullptr, t->shape};
    if (t->dtype == DType::F32 && reinterpret_cast<uintptr_t>(src) % alignof(float) == 0) {
        w.data = reinterpret_cast<const float*>(src);  // in place: no copy
    } else {
        if (Status s = reserveOwned(name, bytesOf(n, sizeof(float)), t->dtype == DType::F32 ? Owned::Realigned : Owned::Widened); !s)
            return s.error();
        m_owned.emplace_back(new float[size_t(std::max<int64_t>(n, 1))]);
        widen(*t, src, m_owned.back().get(), n);
        w.data = m_owned.back().get();
    }
    m_cache.insert(name, w);
    return w;
}

Result<StoredWeight> Checkpoint::getStored(const QString& name, const Shape& expected) {
    if (const auto cached = m_storedCache.constFind(name); cached != m_storedCache.constEnd()) {
        if (cached->shape != expected) return shapeMismatch(name, expected, cached->shape);
        return *cached;
    }
    DType dtype = m_synthetic ? m_syntheticType : DType::F32;
    const uchar* src = nullptr;
    if (!m_synthetic) {
        auto checked = checkedInfo(name, expected);
        if (!checked) return checked.error();
        dtype = (*checked)->dtype;
        src = m_files[size_t(m_where.value(name))]->bytes(**checked);
    }
    if (dtype != DType::BF16 && dtype != DType::F16) {  // F32 (in place or realigned) or F64 (widened)
        auto w = get(name, expected);
        if (!w) return w.error();
        return m_storedCache.insert(name, StoredWeight{w->data, DType::F32, w->shape}).value();
    }
    StoredWeight w{src, dtype, expected};
    if (m_synthetic || reinterpret_cast<uintptr_t>(src) % alignof(uint16_t) != 0) {
        const int64_t n = shapeElements(expected);
        if (Status s = reserveOwned(name, bytesOf(n, sizeof(uint16_t)), m_synthetic ? Owned::Synthetic : Owned::Realigned); !s)
            return s.error();
        m_owned16.emplace_back(new uint16_t[size_t(std::max<int64_t>(n, 1))]);
        uint16_t* data = m_owned16.back().get();
        if (m_synthetic) {
            fillSynthetic(name, n, nullptr, data);
        } else {
            std::memcpy(data, src, size_t(n) * sizeof(uint16_t));
        }
        w.data = data;
    }
    return m_storedCache.insert(name, w).value();
}

}  // namespace attnscope::core
