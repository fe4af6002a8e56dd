#include "util/json_file.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace attnscope::core {

QByteArray escapeByteOrderMarks(QByteArray json) {
    static const QByteArray bom("\xEF\xBB\xBF");
    if (json.startsWith(bom)) json.remove(0, 3);  // the file's own mark
    // Qt's parser decodes each string on its own and drops a U+FEFF that starts one (Gemma 3's
    // vocabulary has the token "\ufeff" and a merge ending in it); as an escape it stays.
    if (json.contains(bom)) json.replace(bom, QByteArrayLiteral("\\ufeff"));
    return json;
}

Result<QJsonObject> readJsonObject(const QString& path, qint64 maxBytes) {
    const QString name = QFileInfo(path).fileName();
    auto bytes = readInputFile(path, maxBytes);
    if (!bytes) return bytes.error();
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(escapeByteOrderMarks(*bytes), &err);
    if (err.error != QJsonParseError::NoError)
        return inputError(QStringLiteral("%1: not valid JSON (%2 at byte %3)")
                              .arg(name, err.errorString())
                              .arg(err.offset));
    if (!doc.isObject()) return inputError(QStringLiteral("%1: not a JSON object").arg(name));
    return doc.object();
}

}  // namespace attnscope::core
