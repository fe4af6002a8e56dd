#include "io/safetensors_writer.h"

#include "io/trace_export.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace attnscope::core {

Status writeSafetensors(const QString& path, const std::vector<NamedTensor>& tensors, const QHash<QString, QString>& metadata) {
    QJsonObject header;
    qint64 offset = 0;
    for (const NamedTensor& t : tensors) {
        QJsonArray shape;
        for (int64_t d : t.shape) shape.append(qint64(d));
        const qint64 bytes = shapeElements(t.shape) * qint64(dtypeSize(t.dtype));
        header.insert(t.name, QJsonObject{{"dtype", dtypeName(t.dtype)}, {"shape", shape}, {"data_offsets", QJsonArray{offset, offset + bytes}}});
        offset += bytes;
    }
    QJsonObject meta;
    for (auto it = metadata.begin(); it != metadata.end(); ++it) meta.insert(it.key(), it.value());
    if (!meta.isEmpty()) header.insert(QStringLiteral("__metadata__"), meta);
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    while (json.size() % 8) json.append(' ');
    return saveAtomically(path, [&](QIODevice& out) -> Status {
        QByteArray length(8, '\0');
        for (int i = 0; i < 8; ++i) length[i] = char((quint64(json.size()) >> (8 * i)) & 0xff);
        if (out.write(length) != 8 || out.write(json) != json.size())
            return internalError(QStringLiteral("cannot write the safetensors header"));
        for (const NamedTensor& t : tensors) {
            const qint64 bytes = shapeElements(t.shape) * qint64(dtypeSize(t.dtype));
            const char* data = t.dtype == DType::F32  ? reinterpret_cast<const char*>(t.data)
                               : t.dtype == DType::U8 ? reinterpret_cast<const char*>(t.data8)
                                                      : reinterpret_cast<const char*>(t.data16);
            if (out.write(data, bytes) != bytes)
                return internalError(QStringLiteral("cannot write tensor '%1'").arg(t.name));
        }
        return {};
    });
}

}  // namespace attnscope::core
