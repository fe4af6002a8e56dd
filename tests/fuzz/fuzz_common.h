#pragma once
// Shared set-up of the libFuzzer targets: a small memory budget (a huge shape must be refused by
// the budget, not exhaust the fuzzer's RSS limit) and quiet Qt warnings.
#include "util/memory_budget.h"

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <cstddef>
#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

namespace attnscope::fuzz {

inline void quiet(QtMsgType, const QMessageLogContext&, const QString&) {}

inline void setUp(uint64_t budgetBytes = 256ull << 20) {
    core::setMemoryBudget(budgetBytes);
    qInstallMessageHandler(quiet);
}

// The input as a file a path names (a memfd, /proc/self/fd/N), so it goes through the same
// open-and-map path as a file on disk; -1 when it cannot be made. The caller closes it.
inline int memoryFile(const uint8_t* data, size_t size, const char* name) {
    const int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0) return -1;
    if (size > 0 && write(fd, data, size) != ssize_t(size)) {
        close(fd);
        return -1;
    }
    return fd;
}

inline QString fdPath(int fd) { return QStringLiteral("/proc/self/fd/%1").arg(fd); }

inline QByteArray bytes(const uint8_t* data, size_t size) {
    return QByteArray(reinterpret_cast<const char*>(data), qsizetype(size));
}

}  // namespace attnscope::fuzz
