#pragma once

#include "util/input_file.h"
#include "util/result.h"

#include <QJsonObject>
#include <QString>

namespace attnscope::core {

// The JSON text with every raw U+FEFF written as the escape \ufeff (Qt's parser drops one that
// starts a string) and a leading byte-order mark removed.
QByteArray escapeByteOrderMarks(QByteArray json);

// Reads a file holding one JSON object; errors name the file.
// Reads a file holding one JSON object (a regular file of at most maxBytes); errors name the file.
Result<QJsonObject> readJsonObject(const QString& path, qint64 maxBytes = kMaxConfigBytes);

}  // namespace attnscope::core
