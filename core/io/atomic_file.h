#pragma once

#include "util/result.h"

#include <QSaveFile>
#include <QString>

#include <functional>
#include <memory>

namespace attnscope::core {

// A file written whole or not at all: a temporary beside the target, renamed over it on commit.
// It is unbuffered and every step is checked (each write, a final fsync, the close), so a full
// disk, a file size limit or a vanished folder fails the commit and leaves no file: QSaveFile's
// own write buffer reports such errors only at close, and it then renames a cut-off file.
class AtomicFile {
public:
    explicit AtomicFile(const QString& path);
    ~AtomicFile();
    // Errors opening are exit status 2 (the path is wrong); errors writing are 1 (I/O).
    Status open();
    // What writers write to: a short write (a disk filling up half way through a write) is an
    // error here, where QFile returns a short count that most writers (QTextStream, SVG) ignore.
    QIODevice& device();
    // Renames the temporary over the target if every write succeeded; else removes it.
    Status commit();
    // The writer failed: no file. Returns the device's own error if it had one (a full disk says
    // so), else `why`.
    Status discard(const Status& why);

private:
    class CheckedDevice;
    bool failed() const;
    Error writeError() const;

    QSaveFile m_file;
    std::unique_ptr<CheckedDevice> m_device;
    QString m_path;
};

// Opens path, lets `write` fill it, commits; on any failure no file is left at path.
Status saveAtomically(const QString& path, const std::function<Status(QIODevice&)>& write);
// Writes bytes to path through saveAtomically.
Status saveBytesAtomically(const QString& path, const QByteArray& bytes);

}  // namespace attnscope::core
