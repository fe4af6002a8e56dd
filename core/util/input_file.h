#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QFile>
#include <QString>

namespace attnscope::core {

// Size limits for the files AttnScope reads whole (model files are memory-mapped instead).
inline constexpr qint64 kMaxConfigBytes = 64LL << 20;      // config.json, *_config.json, index files
inline constexpr qint64 kMaxTokenizerBytes = 1LL << 30;    // tokenizer.json, vocab.txt, merges.txt
inline constexpr qint64 kMaxImageFileBytes = 1LL << 30;    // PNG, JPEG, ...
inline constexpr qint64 kMaxSessionBytes = 64LL << 20;     // .attnscope session files

// Opens `path` for reading when it is, after following symlinks, a regular file. FIFOs, devices,
// sockets and folders are refused at once with a message naming the file (opening never blocks).
// Qt resource paths (":/...", the built-in models) are opened as they are.
Status openInputFile(QFile& file, const QString& path);
// The whole file, refused when it is not a regular file or holds more than maxBytes.
Result<QByteArray> readInputFile(const QString& path, qint64 maxBytes);

}  // namespace attnscope::core
