#pragma once

#include <QByteArray>
#include <QStringList>

namespace attnscope::core {

// The keys of a JSON text's top-level object, in order, duplicates kept (QJsonDocument silently
// drops them). Expects text that QJsonDocument already accepted as an object.
QStringList topLevelJsonKeys(const QByteArray& json);

}  // namespace attnscope::core
