#pragma once

#include "model/image_tensor.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

// Where the tests find their data.
namespace attnscope::test {

// tests/fixtures/models/<name>: tiny checkpoints and their reference outputs.
inline QString modelFixture(const QString& name) {
    return QDir(QStringLiteral(ATTNSCOPE_FIXTURES "/models")).filePath(name);
}

inline QStringList modelFixtureNames() {
    return QDir(QStringLiteral(ATTNSCOPE_FIXTURES "/models")).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

// ../shared/fixtures (real tokenizer vocabularies); may be absent outside CI.
inline QString sharedFixtures() { return QStringLiteral(ATTNSCOPE_SHARED_FIXTURES); }
inline bool haveSharedFixtures() { return QDir(sharedFixtures()).exists(); }

inline QString cliPath() { return QStringLiteral(ATTNSCOPE_CLI); }

// A model fixture's expected.json (the reference outputs).
inline QJsonObject expectedOutputs(const QString& fixture) {
    QFile f(modelFixture(fixture) + QStringLiteral("/expected.json"));
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

// The reference's already normalised (3, S, S) input of a vision fixture.
inline attnscope::core::ImageTensor referencePixels(const QJsonObject& expected) {
    attnscope::core::ImageTensor pixels;
    const QJsonArray chans = expected.value(QStringLiteral("pixels")).toArray();
    if (chans.isEmpty()) return pixels;
    pixels.height = pixels.width = int(chans[0].toArray().size());
    for (const QJsonValue& c : chans)
        for (const QJsonValue& row : c.toArray())
            for (const QJsonValue& v : row.toArray()) pixels.data.push_back(float(v.toDouble()));
    return pixels;
}

// Copies a fixture folder into dir (for tests that damage a copy).
inline bool copyFolder(const QString& from, const QString& to) {
    QDir().mkpath(to);
    for (const QString& f : QDir(from).entryList(QDir::Files))
        if (!QFile::copy(QDir(from).filePath(f), QDir(to).filePath(f))) return false;
    return true;
}

// Copies a fixture folder to `to` with keys of one of its JSON files replaced (a null or undefined
// value removes the key): the damaged copies the bad-input tests load.
inline bool copyWithJsonKeys(const QString& from, const QString& to, const QString& file, const QJsonObject& keys) {
    if (!copyFolder(from, to)) return false;
    QFile f(QDir(to).filePath(file));
    if (!f.open(QIODevice::ReadOnly)) return false;
    QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    f.close();
    for (auto it = keys.begin(); it != keys.end(); ++it) {
        if (it.value().isNull() || it.value().isUndefined()) o.remove(it.key());
        else o.insert(it.key(), it.value());
    }
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    const QByteArray bytes = QJsonDocument(o).toJson();
    return f.write(bytes) == bytes.size();
}

}  // namespace attnscope::test
