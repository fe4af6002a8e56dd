#pragma once

#include "util/result.h"

#include <QJsonObject>
#include <QString>

namespace attnscope::core {

// Reads a file holding one JSON object; errors name the file.
Result<QJsonObject> readJsonObject(const QString& path);

}  // namespace attnscope::core
