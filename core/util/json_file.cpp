#include "util/json_file.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace attnscope::core {

Result<QJsonObject> readJsonObject(const QString& path, qint64 maxBytes) {
    const QString name = QFileInfo(path).fileName();
    auto bytes = readInputFile(path, maxBytes);
    if (!bytes) return bytes.error();
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &err);
    if (err.error != QJsonParseError::NoError)
        return inputError(QStringLiteral("%1: not valid JSON (%2 at byte %3)")
                              .arg(name, err.errorString())
                              .arg(err.offset));
    if (!doc.isObject()) return inputError(QStringLiteral("%1: not a JSON object").arg(name));
    return doc.object();
}

}  // namespace attnscope::core
