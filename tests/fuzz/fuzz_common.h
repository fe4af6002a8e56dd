#pragma once
// Shared set-up of the libFuzzer targets: a small memory budget (a huge shape must be refused by
// the budget, not exhaust the fuzzer's RSS limit) and quiet Qt warnings.
#include "util/memory_budget.h"

#include <QByteArray>
#include <QtGlobal>

#include <cstddef>
#include <cstdint>

namespace attnscope::fuzz {

inline void quiet(QtMsgType, const QMessageLogContext&, const QString&) {}

inline void setUp(uint64_t budgetBytes = 256ull << 20) {
    core::setMemoryBudget(budgetBytes);
    qInstallMessageHandler(quiet);
}

inline QByteArray bytes(const uint8_t* data, size_t size) {
    return QByteArray(reinterpret_cast<const char*>(data), qsizetype(size));
}

}  // namespace attnscope::fuzz
