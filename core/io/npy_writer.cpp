#include "io/npy_writer.h"

#include <QStringList>

namespace attnscope::core {

QByteArray npyHeader(const Shape& shape) {
    QStringList dims;
    for (int64_t d : shape) dims << QString::number(d);
    QString tuple = dims.join(QStringLiteral(", "));
    if (shape.size() == 1) tuple += QLatin1Char(',');
    QByteArray dict = QStringLiteral("{'descr': '<f4', 'fortran_order': False, 'shape': (%1), }").arg(tuple).toLatin1();
    const int preamble = 10;  // magic (6) + version (2) + header length (2)
    const int total = int(((preamble + dict.size() + 1 + 63) / 64) * 64);
    dict.append(QByteArray(total - preamble - dict.size() - 1, ' '));
    dict.append('\n');
    QByteArray out("\x93NUMPY\x01\x00", 8);
    out.append(char(dict.size() & 0xff));
    out.append(char((dict.size() >> 8) & 0xff));
    out.append(dict);
    return out;
}

Status writeNpy(QIODevice& out, const Shape& shape, const float* data) {
    const QByteArray header = npyHeader(shape);
    const qint64 bytes = shapeElements(shape) * qint64(sizeof(float));
    if (out.write(header) != header.size() || out.write(reinterpret_cast<const char*>(data), bytes) != bytes)
        return internalError(QStringLiteral("cannot write the .npy data (%1)").arg(out.errorString()));
    return {};
}

}  // namespace attnscope::core
