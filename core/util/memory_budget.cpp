#include "util/memory_budget.h"

#include <QFile>

#include <atomic>
#include <cmath>
#include <limits>

namespace attnscope::core {
namespace {

std::atomic<uint64_t> g_budget{0};

uint64_t availableMemory() {
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (meminfo.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = meminfo.readAll().split('\n');
        for (const QByteArray& line : lines) {
            if (!line.startsWith("MemAvailable:")) continue;
            const QList<QByteArray> parts = line.simplified().split(' ');
            bool ok = false;
            const qulonglong kb = parts.size() >= 2 ? parts[1].toULongLong(&ok) : 0;
            if (ok && kb > 0) return uint64_t(kb) * 1024;
        }
    }
    return uint64_t(4) << 30;  // unknown: assume a small machine
}

}  // namespace

std::optional<uint64_t> parseByteSize(const QString& text) {
    QString t = text.trimmed().toUpper();
    if (t.endsWith(QLatin1Char('B'))) t.chop(1);
    double scale = 1;
    if (!t.isEmpty()) {
        const QChar unit = t.back();
        const QString units = QStringLiteral("KMGT");
        if (const int i = int(units.indexOf(unit)); i >= 0) {
            scale = std::pow(1024.0, i + 1);
            t.chop(1);
        }
    }
    bool ok = false;
    const double v = t.trimmed().toDouble(&ok) * scale;
    if (!ok || !std::isfinite(v) || v < 1 || v > 1.8e19) return std::nullopt;
    return uint64_t(v);
}

QString formatBytes(uint64_t bytes) {
    const double b = double(bytes);
    if (b >= 1e12) return QStringLiteral("%1 TB").arg(b / 1e12, 0, 'f', 1);
    if (b >= 1e9) return QStringLiteral("%1 GB").arg(b / 1e9, 0, 'f', 1);
    if (b >= 1e6) return QStringLiteral("%1 MB").arg(b / 1e6, 0, 'f', 0);
    if (b >= 1e3) return QStringLiteral("%1 KB").arg(b / 1e3, 0, 'f', 0);
    return QStringLiteral("%1 bytes").arg(bytes);
}

void setMemoryBudget(uint64_t bytes) { g_budget = bytes; }

uint64_t memoryBudget() {
    if (const uint64_t set = g_budget.load()) return set;
    const QString env = qEnvironmentVariable("ATTNSCOPE_MEMORY_LIMIT");
    if (!env.isEmpty())
        if (auto parsed = parseByteSize(env)) return *parsed;
    return availableMemory();
}

Status checkMemory(uint64_t bytes, const QString& what, const QString& hint) {
    const uint64_t budget = memoryBudget();
    if (bytes <= budget) return {};
    QString message = QStringLiteral("%1 needs %2, more than the %3 AttnScope may use")
                          .arg(what, bytes == std::numeric_limits<uint64_t>::max() ? QStringLiteral("more memory than exists")
                                                                                   : formatBytes(bytes),
                               formatBytes(budget));
    message += hint.isEmpty() ? QStringLiteral(" (raise the limit with --memory-limit or ATTNSCOPE_MEMORY_LIMIT if the machine has it)")
                              : QStringLiteral(" (%1, or raise the limit with --memory-limit or ATTNSCOPE_MEMORY_LIMIT if the machine has it)").arg(hint);
    return inputError(message);
}

std::optional<uint64_t> checkedProduct(std::initializer_list<uint64_t> factors) {
    uint64_t p = 1;
    for (uint64_t f : factors)
        if (__builtin_mul_overflow(p, f, &p)) return std::nullopt;
    return p;
}

uint64_t saturatingProduct(std::initializer_list<uint64_t> factors) {
    return checkedProduct(factors).value_or(std::numeric_limits<uint64_t>::max());
}

}  // namespace attnscope::core
