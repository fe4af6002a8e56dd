#include "util/input_file.h"

#include "util/memory_budget.h"

#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace attnscope::core {
namespace {

QString kindOf(mode_t mode) {
    if (S_ISDIR(mode)) return QStringLiteral("a folder");
    if (S_ISFIFO(mode)) return QStringLiteral("a FIFO");
    if (S_ISCHR(mode)) return QStringLiteral("a character device");
    if (S_ISBLK(mode)) return QStringLiteral("a block device");
    if (S_ISSOCK(mode)) return QStringLiteral("a socket");
    return QStringLiteral("not a regular file");
}

}  // namespace

Status openInputFile(QFile& file, const QString& path) {
    const QString name = QFileInfo(path).fileName().isEmpty() ? path : QFileInfo(path).fileName();
    file.close();
    if (path.startsWith(QLatin1Char(':'))) {  // a Qt resource: built into the binary
        file.setFileName(path);
        if (!file.open(QIODevice::ReadOnly))
            return inputError(QStringLiteral("%1: cannot open (%2)").arg(name, file.errorString()));
        return {};
    }
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return inputError(QStringLiteral("%1: cannot open (%2)").arg(name, QString::fromLocal8Bit(std::strerror(errno))));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const QString kind = kindOf(st.st_mode);
        ::close(fd);
        return inputError(QStringLiteral("%1: is %2, not a regular file; AttnScope reads only regular files").arg(name, kind));
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return inputError(QStringLiteral("%1: cannot open (%2)").arg(name, file.errorString()));
    }
    return {};
}

Result<QByteArray> readInputFile(const QString& path, qint64 maxBytes) {
    QFile file;
    if (Status s = openInputFile(file, path); !s) return s.error();
    const QString name = QFileInfo(path).fileName();
    const qint64 size = file.size();
    if (size > maxBytes)
        return inputError(QStringLiteral("%1: the file holds %2, more than the %3 AttnScope reads for such a file")
                              .arg(name, formatBytes(uint64_t(size)), formatBytes(uint64_t(maxBytes))));
    // Exactly the size seen (QIODevice::read(n) allocates n bytes up front); a file that grew
    // meanwhile is refused rather than read without a bound.
    QByteArray bytes = size > 0 ? file.read(size) : file.readAll();
    if (bytes.size() > maxBytes || (size > 0 && !file.read(1).isEmpty()))
        return inputError(QStringLiteral("%1: the file changed while it was read").arg(name));
    if (file.error() != QFileDevice::NoError)
        return inputError(QStringLiteral("%1: cannot read (%2)").arg(name, file.errorString()));
    return bytes;
}

}  // namespace attnscope::core
