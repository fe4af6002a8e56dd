#include "safetensors_writer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>

namespace attnscope::test {

QByteArray rawSafetensors(const QByteArray& header, const QByteArray& data, int64_t declaredLength) {
    QByteArray out(8, '\0');
    const uint64_t n = declaredLength >= 0 ? uint64_t(declaredLength) : uint64_t(header.size());
    for (int i = 0; i < 8; ++i) out[i] = char((n >> (8 * i)) & 0xff);
    return out + header + data;
}

QByteArray buildSafetensors(const std::vector<TensorSpec>& tensors) {
    QJsonObject header;
    QByteArray data;
    for (const TensorSpec& t : tensors) {
        int64_t count = 1;
        QJsonArray shape;
        for (int64_t d : t.shape) {
            count *= d;
            shape.append(qint64(d));
        }
        const int size = t.dtype == QLatin1String("F32") ? 4 : t.dtype == QLatin1String("F64") ? 8
                         : (t.dtype == QLatin1String("U8") || t.dtype == QLatin1String("BOOL")) ? 1 : 2;
        QByteArray bytes(qsizetype(count * size), '\0');
        if (t.dtype == QLatin1String("F32") && int64_t(t.values.size()) == count)
            std::memcpy(bytes.data(), t.values.data(), size_t(bytes.size()));
        header.insert(t.name, QJsonObject{{"dtype", t.dtype},
                                          {"shape", shape},
                                          {"data_offsets", QJsonArray{qint64(data.size()), qint64(data.size() + bytes.size())}}});
        data += bytes;
    }
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    while (json.size() % 8) json.append(' ');
    return rawSafetensors(json, data);
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

}  // namespace attnscope::test
