#include "io/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace attnscope::core {

AtomicFile::AtomicFile(const QString& path) : m_file(path), m_path(path) {}

Status AtomicFile::open() {
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return inputError(QStringLiteral("%1: cannot write (%2)").arg(m_path, m_file.errorString()));
    return {};
}

Error AtomicFile::writeError() const {
    QString why = m_file.errorString();
    if (why.isEmpty() || why == QLatin1String("Unknown error")) why = QStringLiteral("the disk may be full");
    return internalError(QStringLiteral("%1: cannot write (%2); no file was written").arg(m_path, why));
}

Status AtomicFile::commit() {
    if (m_file.error() != QFileDevice::NoError) {
        const Error e = writeError();
        m_file.cancelWriting();
        m_file.commit();  // discards the temporary
        return e;
    }
    if (m_file.handle() >= 0 && ::fsync(m_file.handle()) != 0 && errno != EINVAL && errno != EROFS) {
        const Error e = internalError(QStringLiteral("%1: cannot write (%2); no file was written").arg(m_path, QString::fromLocal8Bit(strerror(errno))));
        m_file.cancelWriting();
        m_file.commit();
        return e;
    }
    if (!m_file.commit()) return writeError();
    return {};
}

Status AtomicFile::discard(const Status& why) {
    const bool deviceFailed = m_file.error() != QFileDevice::NoError;
    const Error e = deviceFailed ? writeError() : why.error();
    m_file.cancelWriting();
    m_file.commit();  // removes the temporary
    return e;
}

Status saveAtomically(const QString& path, const std::function<Status(QIODevice&)>& write) {
    AtomicFile file(path);
    if (Status s = file.open(); !s) return s;
    if (Status s = write(file.device()); !s) return file.discard(s);
    return file.commit();
}

Status saveBytesAtomically(const QString& path, const QByteArray& bytes) {
    return saveAtomically(path, [&](QIODevice& out) -> Status {
        return out.write(bytes) == bytes.size() ? Status() : Status(internalError(QStringLiteral("cannot write ") + path));
    });
}

}  // namespace attnscope::core
