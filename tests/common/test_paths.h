#pragma once

#include <QDir>
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

// Copies a fixture folder into dir (for tests that damage a copy).
inline bool copyFolder(const QString& from, const QString& to) {
    QDir().mkpath(to);
    for (const QString& f : QDir(from).entryList(QDir::Files))
        if (!QFile::copy(QDir(from).filePath(f), QDir(to).filePath(f))) return false;
    return true;
}

}  // namespace attnscope::test
