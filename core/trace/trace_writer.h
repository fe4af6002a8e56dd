#pragma once

#include "io/dtype.h"
#include "trace/attention_trace.h"
#include "trace/trace_info.h"
#include "util/result.h"

#include <QString>

#include <vector>

namespace attnscope::core {

// What a trace file written from a trace holds (docs/trace-format.md).
struct TraceWriteOptions {
    bool matrices = true;  // attentions.{l} [h, n, n]
    bool qk = true;        // q.{l} [h, n, d], k.{l} [g, n, d] (needs a trace that holds them)
    bool v = true;         // v.{l} [g, n, d]
    bool hidden = false;   // hidden_states.{i} [n, H], i in [0, L]
    DType dtype = DType::F32;  // F32, F16 or BF16
    std::vector<int> layers;   // the trace's layers to write, ascending (empty: all)
    TracePicture picture;      // a vision run's picture, written as `image` (needs info.imageGrid)
};

// Writes `trace` as a trace file through a temporary renamed on success. `info` gives what the
// trace does not know (model, model_type, text, tokens, offsets, image_grid); the shapes, layers,
// windows and scale are taken from the trace. What it cannot write (v of a file without v) is an
// error naming it.
Status saveTraceFile(const QString& path, const AttentionTrace& trace, TraceInfo info, const TraceWriteOptions& options);

}  // namespace attnscope::core
