#pragma once

#include "util/input_file.h"
#include "util/result.h"

#include <QJsonObject>
#include <QString>

namespace attnscope::core {

// Reads a file holding one JSON object; errors name the file.
// Reads a file holding one JSON object (a regular file of at most maxBytes); errors name the file.
Result<QJsonObject> readJsonObject(const QString& path, qint64 maxBytes = kMaxConfigBytes);

}  // namespace attnscope::core
