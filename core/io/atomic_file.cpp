#include "io/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace attnscope::core {

// Forwards writes to the file, looping over short writes; the first write that fails (or writes
// nothing) marks the device failed and keeps the system's reason.
class AtomicFile::CheckedDevice : public QIODevice {
public:
    explicit CheckedDevice(QFileDevice* target) : m_target(target) {}
    bool failed = false;
    QString why;

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char* data, qint64 len) override {
        if (failed) return -1;
        for (qint64 done = 0; done < len;) {
            errno = 0;
            const qint64 n = m_target->write(data + done, len - done);
            if (n <= 0) {
                failed = true;
                why = errno != 0 ? QString::fromLocal8Bit(strerror(errno)) : m_target->errorString();
                return -1;
            }
            done += n;
        }
        return len;
    }

private:
    QFileDevice* m_target;
};

AtomicFile::AtomicFile(const QString& path) : m_file(path), m_device(new CheckedDevice(&m_file)), m_path(path) {}

AtomicFile::~AtomicFile() = default;

QIODevice& AtomicFile::device() { return *m_device; }

bool AtomicFile::failed() const { return m_device->failed || m_file.error() != QFileDevice::NoError; }

Status AtomicFile::open() {
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return inputError(QStringLiteral("%1: cannot write (%2)").arg(m_path, m_file.errorString()));
    m_device->open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    return {};
}

Error AtomicFile::writeError() const {
    QString why = m_device->failed && !m_device->why.isEmpty() ? m_device->why : m_file.errorString();
    if (why.isEmpty() || why == QLatin1String("Unknown error")) why = QStringLiteral("the disk may be full");
    return internalError(QStringLiteral("%1: cannot write (%2); no file was written").arg(m_path, why));
}

Status AtomicFile::commit() {
    if (failed()) {
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
    const Error e = failed() ? writeError() : why.error();
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
