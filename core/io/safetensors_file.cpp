#include "io/safetensors_file.h"

#include <sys/mman.h>
#include <unistd.h>

#include "util/input_file.h"
#include "util/json_keys.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QStringDecoder>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace attnscope::core {
namespace {

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53: larger JSON numbers are inexact

// A JSON number that must be a non-negative integer.
bool toUnsigned(const QJsonValue& v, uint64_t* out) {
    if (!v.isDouble()) return false;
    const double d = v.toDouble();
    if (!(d >= 0) || d > kMaxExactInteger || std::floor(d) != d) return false;
    *out = static_cast<uint64_t>(d);
    return true;
}

QString where(const QString& name) { return QStringLiteral("tensor '%1'").arg(name); }

Result<TensorInfo> parseEntry(const QString& name, const QJsonValue& value) {
    if (!value.isObject())
        return inputError(where(name) + QStringLiteral(": entry is not an object"));
    const QJsonObject obj = value.toObject();
    TensorInfo info;
    info.name = name;

    const QJsonValue dtype = obj.value(QStringLiteral("dtype"));
    if (!dtype.isString()) return inputError(where(name) + QStringLiteral(": 'dtype' is missing"));
    const auto parsed = dtypeFromName(dtype.toString());
    if (!parsed)
        return inputError(where(name) + QStringLiteral(": unknown dtype '%1' (supported: BOOL, U8, "
                                                       "I8, I16, U16, F16, BF16, I32, U32, F32, F64, "
                                                       "I64, U64)")
                                            .arg(dtype.toString()));
    info.dtype = *parsed;

    const QJsonValue shape = obj.value(QStringLiteral("shape"));
    if (!shape.isArray()) return inputError(where(name) + QStringLiteral(": 'shape' is missing"));
    uint64_t elements = 1;
    for (const QJsonValue& d : shape.toArray()) {
        uint64_t dim = 0;
        if (!toUnsigned(d, &dim))
            return inputError(where(name) + QStringLiteral(": shape has a dimension that is not a "
                                                           "non-negative integer"));
        if (dim > uint64_t(std::numeric_limits<int64_t>::max()) ||
            __builtin_mul_overflow(elements, dim, &elements))
            return inputError(where(name) + QStringLiteral(": shape product overflows"));
        info.shape.push_back(int64_t(dim));
    }
    uint64_t bytes = 0;
    if (__builtin_mul_overflow(elements, uint64_t(dtypeSize(info.dtype)), &bytes))
        return inputError(where(name) + QStringLiteral(": shape product overflows"));

    const QJsonValue offsets = obj.value(QStringLiteral("data_offsets"));
    const QJsonArray pair = offsets.toArray();
    if (!offsets.isArray() || pair.size() != 2 || !toUnsigned(pair[0], &info.begin) ||
        !toUnsigned(pair[1], &info.end))
        return inputError(where(name) +
                          QStringLiteral(": 'data_offsets' must be two non-negative integers"));
    if (info.end < info.begin)
        return inputError(where(name) + QStringLiteral(": data_offsets end %1 is before begin %2")
                                            .arg(info.end)
                                            .arg(info.begin));
    if (info.end - info.begin != bytes)
        return inputError(where(name) + QStringLiteral(": data_offsets span %1 bytes but shape %2 "
                                                       "x %3 needs %4 bytes")
                                            .arg(info.end - info.begin)
                                            .arg(shapeToString(info.shape), dtypeName(info.dtype))
                                            .arg(bytes));
    return info;
}

// Offsets must tile [0, bufferBytes) exactly, in order of their begin offsets.
Status checkLayout(const std::vector<TensorInfo>& tensors, uint64_t bufferBytes) {
    std::vector<const TensorInfo*> sorted;
    for (const auto& t : tensors) sorted.push_back(&t);
    std::sort(sorted.begin(), sorted.end(), [](const TensorInfo* a, const TensorInfo* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    uint64_t expected = 0;
    for (const TensorInfo* t : sorted) {
        if (t->begin != expected) {
            if (t->begin < expected)
                return inputError(where(t->name) + QStringLiteral(": data_offsets [%1, %2] overlap "
                                                                  "the previous tensor (ends at %3)")
                                                       .arg(t->begin)
                                                       .arg(t->end)
                                                       .arg(expected));
            return inputError(where(t->name) + QStringLiteral(": data_offsets are not contiguous "
                                                              "(gap from %1 to %2)")
                                                   .arg(expected)
                                                   .arg(t->begin));
        }
        if (t->end > bufferBytes)
            return inputError(where(t->name) + QStringLiteral(": data_offsets end %1 is beyond the "
                                                              "data buffer (%2 bytes); the file is "
                                                              "truncated or corrupt")
                                                   .arg(t->end)
                                                   .arg(bufferBytes));
        expected = t->end;
    }
    if (expected != bufferBytes)
        return inputError(QStringLiteral("the data buffer holds %1 bytes but the tensors account "
                                         "for %2")
                              .arg(bufferBytes)
                              .arg(expected));
    return {};
}

}  // namespace

Result<SafetensorsHeader> SafetensorsFile::parseHeader(const QByteArray& json, uint64_t bufferBytes) {
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = utf8.decode(json);  // decode() is lazy: converting runs it
    if (utf8.hasError()) return inputError(QStringLiteral("header is not valid UTF-8"));
    if (json.isEmpty() || json[0] != '{')
        return inputError(QStringLiteral("header does not start with '{'"));

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return inputError(QStringLiteral("header is not valid JSON (%1 at byte %2)")
                              .arg(parseError.errorString())
                              .arg(parseError.offset));
    if (!doc.isObject()) return inputError(QStringLiteral("header is not a JSON object"));

    QSet<QString> seen;
    for (const QString& key : topLevelJsonKeys(json)) {
        if (seen.contains(key))
            return inputError(QStringLiteral("duplicate tensor name '%1' in header").arg(key));
        seen.insert(key);
    }

    SafetensorsHeader header;
    const QJsonObject root = doc.object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() == QLatin1String("__metadata__")) {
            if (!it.value().isObject())
                return inputError(QStringLiteral("'__metadata__' is not an object"));
            const QJsonObject meta = it.value().toObject();
            for (auto m = meta.begin(); m != meta.end(); ++m) {
                if (!m.value().isString())
                    return inputError(
                        QStringLiteral("'__metadata__' value for '%1' is not a string").arg(m.key()));
                header.metadata.insert(m.key(), m.value().toString());
            }
            continue;
        }
        auto entry = parseEntry(it.key(), it.value());
        if (!entry) return entry.error();
        header.tensors.push_back(std::move(entry).value());
    }
    if (Status layout = checkLayout(header.tensors, bufferBytes); !layout) return layout.error();
    return header;
}

Result<std::unique_ptr<SafetensorsFile>> SafetensorsFile::open(const QString& path) {
    auto fail = [&path](const QString& why) {
        return inputError(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), why));
    };
    std::unique_ptr<SafetensorsFile> file(new SafetensorsFile);
    file->m_path = path;
    if (Status s = openInputFile(file->m_file, path); !s) return s.error();
    const uint64_t size = uint64_t(file->m_file.size());
    if (size < 8)
        return fail(QStringLiteral("file is too small (%1 bytes) to hold a safetensors header; it "
                                   "is truncated or not a safetensors file")
                        .arg(size));
    uchar* map = file->m_file.map(0, qint64(size));
    if (!map) return fail(QStringLiteral("cannot map the file (%1)").arg(file->m_file.errorString()));
    file->m_map = map;
    file->m_mapSize = size;

    uint64_t headerBytes = 0;
    for (int i = 7; i >= 0; --i) headerBytes = (headerBytes << 8) | map[i];
    if (headerBytes > kMaxHeaderBytes)
        return fail(QStringLiteral("header length %1 exceeds the limit of %2 bytes")
                        .arg(headerBytes)
                        .arg(kMaxHeaderBytes));
    if (headerBytes > size - 8)
        return fail(QStringLiteral("header length %1 goes beyond the end of the file (%2 bytes); "
                                   "the file is truncated or not a safetensors file")
                        .arg(headerBytes)
                        .arg(size));
    const QByteArray json(reinterpret_cast<const char*>(map + 8), qsizetype(headerBytes));
    auto header = parseHeader(json, size - 8 - headerBytes);
    if (!header) return fail(header.message());

    file->m_data = map + 8 + headerBytes;
    file->m_header = std::move(header).value();
    for (int i = 0; i < int(file->m_header.tensors.size()); ++i)
        file->m_index.insert(file->m_header.tensors[size_t(i)].name, i);
    return file;
}

const TensorInfo* SafetensorsFile::find(const QString& name) const {
    const auto it = m_index.constFind(name);
    return it == m_index.constEnd() ? nullptr : &m_header.tensors[size_t(*it)];
}

bool SafetensorsFile::releasePages(const void* data, uint64_t size) const {
    const auto begin = reinterpret_cast<uintptr_t>(data), mapBegin = reinterpret_cast<uintptr_t>(m_map);
    if (!m_map || begin < mapBegin || begin - mapBegin > m_mapSize || size > m_mapSize - (begin - mapBegin)) return false;
    const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
    const uintptr_t first = (begin + page - 1) / page * page, last = (begin + size) / page * page;  // whole pages inside
    if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
    return true;
}

}  // namespace attnscope::core
