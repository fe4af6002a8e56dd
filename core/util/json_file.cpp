#include "util/json_file.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace attnscope::core {

Result<QJsonObject> readJsonObject(const QString& path) {
    const QString name = QFileInfo(path).fileName();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return inputError(QStringLiteral("%1: cannot open (%2)").arg(name, file.errorString()));
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &err);
    if (err.error != QJsonParseError::NoError)
        return inputError(QStringLiteral("%1: not valid JSON (%2 at byte %3)")
                              .arg(name, err.errorString())
                              .arg(err.offset));
    if (!doc.isObject()) return inputError(QStringLiteral("%1: not a JSON object").arg(name));
    return doc.object();
}

}  // namespace attnscope::core
