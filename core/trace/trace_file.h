#pragma once

#include "trace/attention_trace.h"
#include "trace/trace_info.h"
#include "util/result.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace attnscope::core {

// A trace read from a file (docs/trace-format.md): what it says about its run, and the trace every
// view and analysis reads, its tensors left where they are stored.
struct OpenedTrace {
    QString path;
    TraceInfo info;
    std::shared_ptr<const AttentionTrace> trace;
    // What the file does not hold, one short phrase each ("v (the Q/K/V steps' values)").
    QStringList lacks;
    // What the file holds per layer: "attention matrices (BF16)" or "q and k (F16), v".
    QString contents;
    // The picture of a vision run, when the file holds one (`image`).
    TracePicture picture;
};

// Opens a trace file or a sharded trace's index, checks everything against the metadata (shapes,
// token count, layers, types) and every attention row (finite, not negative, summing to 1, nothing
// above the diagonal of a causal model; rebuilt from q and k when the file holds no matrices, and
// compared with the matrices when it holds both), and computes each head's summaries (sink share,
// the grid's thumbnails). One pass over the file, heads in parallel; progress(layersDone, layers)
// after each layer, and a set cancel flag stops it with an error.
Result<OpenedTrace> openTraceFile(const QString& path, const std::atomic<bool>* cancel = nullptr,
                                  const std::function<void(int, int)>& progress = {});

// Whether a path looks like a trace file rather than a model: a .json index or a safetensors file
// whose metadata says format = attnscope-trace (reads only the header).
bool isTraceFile(const QString& path);

// How far a row of weights stored in `dtype` may sum from 1 and still be a softmax row.
float rowSumTolerance(DType dtype, int n);

}  // namespace attnscope::core
