#pragma once

#include "io/atomic_file.h"

#include "io/json_writer.h"
#include "tokenize/tokenizer.h"
#include "trace/ablation_sink.h"
#include "trace/attention_trace.h"
#include "util/result.h"

#include <QIODevice>
#include <QSet>
#include <QString>

#include <functional>

namespace attnscope::core {

// Which layers and heads go into a file (empty: all), in the order given.
struct TraceSelection {
    std::vector<int> layers, heads;
    std::vector<int> layersOf(const AttentionTrace& t) const;
    std::vector<int> headsOf(const AttentionTrace& t) const;
    bool all() const { return layers.empty() && heads.empty(); }
};

// What goes with a trace into a file.
struct TraceDocument {
    QString modelType;
    const Encoding* encoding = nullptr;
    bool truncated = false;
    const AttentionTrace* trace = nullptr;
    TraceSelection selection;
    std::vector<HeadRef> ablated;  // written as "ablated": [[layer, head], ...] when not empty
};

// The `attnscope-cli attention` JSON: model_type, tokens, ids, offsets, truncated, num_layers,
// num_heads, attentions [L][H][n][n], sink_share [L][H]; with a selection, "layers" and "heads"
// name the L' and H' written ([L'][H'][n][n]). include adds "hidden" (hidden_states [L+1][n][d]),
// "qkv" (q, k, v [L][H][n][d_head]) and "scores" ([L'][H'][n][n], q.k / sqrt(d) before mask and
// softmax) and "norms" ([L'][H'][n][n], value-weighted norms ||a_ij f_h(x_j)||, when the trace has
// value norms). A rebuilt trace's heads are rebuilt one at a time as they are written.
Status writeTraceJson(QIODevice& out, const TraceDocument& doc, const QSet<QString>& include);
// The selected attention probabilities as float32 .npy of shape (L', H', n, n), a head at a time.
Status writeAttentionsNpy(QIODevice& out, const AttentionTrace& trace, const TraceSelection& selection = {});
// One (n, n) matrix: .npy (float32), or CSV with the key tokens as the header row and the query
// tokens as the first column (RFC 4180 quoting).
Status writeMatrixNpy(QIODevice& out, const float* matrix, int n);
Status writeMatrixCsv(QIODevice& out, const float* matrix, int n, const QStringList& labels);
// One head's (n, n) matrix as JSON {"layer", "head", "tokens", "attention"}.
Status writeMatrixJson(QIODevice& out, const float* matrix, int n, const QStringList& labels, int layer, int head);

// "tokens", "ids" and "offsets" of an encoding, as fields of the current JSON object.
void writeEncodingFields(JsonWriter& json, const Encoding& encoding);

}  // namespace attnscope::core
