#include "hub/repo_ref.h"

#include <QRegularExpression>

namespace attnscope::core {
namespace {

bool validPart(const QString& part) {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_]([A-Za-z0-9_.\\-]{0,94}[A-Za-z0-9_])?$"));
    return re.match(part).hasMatch();
}

bool validRevision(const QString& r) {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.][A-Za-z0-9_./\\-]{0,254}$"));
    return re.match(r).hasMatch() && !r.contains(QStringLiteral("..")) && !r.contains(QStringLiteral("//")) &&
           !r.endsWith(QLatin1Char('/')) && !r.endsWith(QLatin1Char('.'));
}

}  // namespace

QString RepoRef::folderName() const { return QStringLiteral("models--") + QString(repo).replace(QLatin1Char('/'), QStringLiteral("--")); }

Result<RepoRef> parseRepoRef(const QString& text, const QString& revision) {
    RepoRef ref;
    QString id = text.trimmed();
    const int at = id.indexOf(QLatin1Char('@'));
    if (at >= 0) {
        ref.revision = id.mid(at + 1);
        id = id.left(at);
    }
    if (!revision.isEmpty()) {
        if (at >= 0) return inputError(QStringLiteral("'%1': give the revision with '@' or --revision, not both").arg(text));
        ref.revision = revision;
    }
    const QStringList parts = id.split(QLatin1Char('/'));
    bool ok = !id.isEmpty() && parts.size() <= 2 && !id.contains(QStringLiteral("--")) && !id.contains(QStringLiteral("..")) &&
              !id.endsWith(QLatin1String(".git"));
    for (const QString& p : parts) ok = ok && validPart(p);
    if (!ok)
        return inputError(QStringLiteral("'%1' is neither a folder nor a Hugging Face model id (ORG/NAME or NAME: letters, digits, "
                                         "'_', '-' and '.', at most 96 each)")
                              .arg(text));
    if (!validRevision(ref.revision))
        return inputError(QStringLiteral("'%1' is not a valid revision (a branch, tag or commit id: letters, digits, '_', '-', '.', '/')")
                              .arg(ref.revision));
    ref.repo = id;
    return ref;
}

bool isSafeRepoFileName(const QString& name) {
    if (name.isEmpty() || name.size() > 1024 || name.startsWith(QLatin1Char('/')) || name.startsWith(QLatin1Char('-')) ||
        name.contains(QLatin1Char('\\')))
        return false;
    for (const QChar c : name)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f) return false;
    for (const QString& part : name.split(QLatin1Char('/')))
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String("..")) return false;
    return true;
}

bool isCommitId(const QString& text) {
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{40}$"));
    return re.match(text).hasMatch();
}

}  // namespace attnscope::core
