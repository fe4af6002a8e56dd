#pragma once

#include "util/result.h"

#include <QString>

#include <cstdint>
#include <initializer_list>
#include <optional>

namespace attnscope::core {

// How much memory one input may make AttnScope allocate (a trace, widened weights, a resized
// image, ...). Every allocation whose size comes from a file or from the user is checked against it
// first, so a hostile or simply too large input gets a message instead of std::bad_alloc.
//
// The budget is, in order: what setMemoryBudget() was given (the CLI's --memory-limit), the
// ATTNSCOPE_MEMORY_LIMIT environment variable ("8G", "512M", "1.5T", bytes), or the memory the
// system has available now (MemAvailable in /proc/meminfo).
uint64_t memoryBudget();
void setMemoryBudget(uint64_t bytes);  // 0: back to the environment / the system
// "8G", "512M", "1.5T", "64K" or plain bytes; nullopt when not a positive size.
std::optional<uint64_t> parseByteSize(const QString& text);
// "2.1 GB", "340 MB", "12 KB", "17 bytes".
QString formatBytes(uint64_t bytes);

// Succeeds when `bytes` fit the budget; otherwise names what (e.g. "the attention trace of 65000
// tokens"), how much it needs, the budget, and what to do (`hint`, e.g. "shorten the text").
Status checkMemory(uint64_t bytes, const QString& what, const QString& hint = QString());

// The product of the factors, or nullopt when it does not fit in 64 bits.
std::optional<uint64_t> checkedProduct(std::initializer_list<uint64_t> factors);
// As above, a failed product counts as "more than any budget".
uint64_t saturatingProduct(std::initializer_list<uint64_t> factors);

}  // namespace attnscope::core
