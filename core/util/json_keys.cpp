#include "util/json_keys.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace attnscope::core {
namespace {

// Index one past the closing quote of the string that starts at `start` (a '"').
qsizetype skipString(const QByteArray& json, qsizetype start) {
    qsizetype i = start + 1;
    while (i < json.size()) {
        if (json[i] == '\\') {
            i += 2;
        } else if (json[i] == '"') {
            return i + 1;
        } else {
            ++i;
        }
    }
    return json.size();
}

QString decodeKey(const QByteArray& quoted) {
    // Let Qt decode the escapes: ["<key>"].
    const QJsonDocument doc = QJsonDocument::fromJson("[" + quoted + "]");
    return doc.array().at(0).toString();
}

}  // namespace

QStringList topLevelJsonKeys(const QByteArray& json) {
    QStringList keys;
    int depth = 0;
    bool expectKey = false;
    for (qsizetype i = 0; i < json.size();) {
        const char c = json[i];
        if (c == '"') {
            const qsizetype end = skipString(json, i);
            if (depth == 1 && expectKey) {
                keys << decodeKey(json.mid(i, end - i));
                expectKey = false;
            }
            i = end;
            continue;
        }
        if (c == '{' || c == '[') {
            ++depth;
            if (depth == 1 && c == '{') expectKey = true;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ',' && depth == 1) {
            expectKey = true;
        }
        ++i;
    }
    return keys;
}

}  // namespace attnscope::core
