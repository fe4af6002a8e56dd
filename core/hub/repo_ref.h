#pragma once

#include "util/result.h"

#include <QString>

namespace attnscope::core {

// A model on the Hub: "org/name" or "name", at a revision (a branch, a tag or a commit).
struct RepoRef {
    QString repo;
    QString revision = QStringLiteral("main");

    QString display() const { return revision == QLatin1String("main") ? repo : repo + QLatin1Char('@') + revision; }
    // The cache's folder name: models--org--name.
    QString folderName() const;
};

// "org/name", "name", with "@revision" optionally; checked as huggingface_hub checks repo ids (letters,
// digits, '_', '-', '.'; one '/' at most; each part 1-96 characters starting and ending with a letter,
// digit or '_'; no "--" or ".."; not ending in ".git"), revisions likewise (no "..", no leading '-' or
// '/', no "//", no spaces) and `revision` (when given) instead of "@revision".
Result<RepoRef> parseRepoRef(const QString& text, const QString& revision = QString());

// A file name from a repository listing, safe to join to a folder: relative, no "." or ".."
// segments, no empty segments, no backslash, no leading '-', no control characters.
bool isSafeRepoFileName(const QString& name);

// Whether text is a 40-digit lowercase hexadecimal commit id.
bool isCommitId(const QString& text);

}  // namespace attnscope::core
