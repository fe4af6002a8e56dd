#include "io/trace_export.h"

#include "io/json_writer.h"
#include "io/npy_writer.h"
#include "analysis/sinks.h"
#include "analysis/value_norms.h"


#include <cmath>
#include <vector>

namespace attnscope::core {
namespace {

std::vector<int> upTo(int count) {
    std::vector<int> all(static_cast<size_t>(std::max(count, 0)));
    for (int i = 0; i < count; ++i) all[size_t(i)] = i;
    return all;
}

// [L'][H'][n][n] from per-head (n, n) blocks (raw or probs), each value divided by `divisor`.
void writeSquares(JsonWriter& json, const AttentionTrace& t, const TraceSelection& sel, bool raw, float divisor = 1.0f) {
    const int n = t.tokens();
    std::vector<float> row(size_t(n), 0.0f);
    json.beginArray();
    for (int l : sel.layersOf(t)) {
        json.beginArray();
        for (int h : sel.headsOf(t)) {
            const HeadMatrices head = t.head(l, h);
            const float* m = raw ? head.raw() : head.probs();
            json.beginArray();
            for (int i = 0; i < n; ++i) {
                for (int j = 0; j < n; ++j) row[size_t(j)] = m[int64_t(i) * n + j] / divisor;
                json.floats(row.data(), n);
            }
            json.endArray();
        }
        json.endArray();
    }
    json.endArray();
}

// [L][heads][n][d] from one head's rows (q: the query heads; k, v: the key/value heads).
template <typename Row>
void writeHeadColumns(JsonWriter& json, const AttentionTrace& t, int heads, Row row) {
    json.beginArray();
    for (int l = 0; l < t.layers(); ++l) {
        json.beginArray();
        for (int h = 0; h < heads; ++h) {
            json.beginArray();
            for (int i = 0; i < t.tokens(); ++i) json.floats(row(l, h, i), t.headDim());
            json.endArray();
        }
        json.endArray();
    }
    json.endArray();
}

void writeStrings(JsonWriter& json, const QStringList& strings) {
    json.beginArray();
    for (const QString& s : strings) json.value(s);
    json.endArray();
}

Status finish(JsonWriter& json) {
    json.endLine();
    if (!json.flush()) return internalError(QStringLiteral("cannot write the output"));
    return {};
}

QString csvField(const QString& s) {
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n'))) return s;
    return QLatin1Char('"') + QString(s).replace(QLatin1String("\""), QLatin1String("\"\"")) + QLatin1Char('"');
}

}  // namespace

std::vector<int> TraceSelection::layersOf(const AttentionTrace& t) const { return layers.empty() ? upTo(t.layers()) : layers; }
std::vector<int> TraceSelection::headsOf(const AttentionTrace& t) const { return heads.empty() ? upTo(t.heads()) : heads; }

Status writeTraceJson(QIODevice& out, const TraceDocument& doc, const QSet<QString>& include) {
    const AttentionTrace& t = *doc.trace;
    JsonWriter json(&out);
    json.beginObject();
    json.key(QStringLiteral("model_type"));
    json.value(doc.modelType);
    writeEncodingFields(json, *doc.encoding);
    json.key(QStringLiteral("truncated"));
    json.value(doc.truncated);
    json.key(QStringLiteral("num_layers"));
    json.value(t.modelLayers());
    json.key(QStringLiteral("num_heads"));
    json.value(t.heads());
    const TraceSelection& sel = doc.selection;
    if (!sel.all() || t.layers() != t.modelLayers()) {  // a selection, or a trace file of some layers: the model's numbers
        std::vector<int> layers = sel.layersOf(t);
        for (int& l : layers) l = t.layerNumber(l);
        json.key(QStringLiteral("layers"));
        json.ints(layers);
        json.key(QStringLiteral("heads"));
        json.ints(sel.headsOf(t));
    }
    if (!doc.ablated.empty()) {
        json.key(QStringLiteral("ablated"));
        json.beginArray();
        for (const HeadRef& r : doc.ablated) json.ints({r.layer, r.head});
        json.endArray();
    }
    json.key(QStringLiteral("attentions"));
    writeSquares(json, t, sel, false);
    json.key(QStringLiteral("sink_share"));  // [L'][H']: each head's mean weight on the first token
    json.beginArray();
    for (int l : sel.layersOf(t)) {
        json.beginArray();
        for (int h : sel.headsOf(t)) json.value(sinkShare(t, l, h));
        json.endArray();
    }
    json.endArray();
    // What a trace does not hold (a trace file of matrices has no raw scores, maybe no q, k, v or
    // hidden states) is left out rather than made up.
    if (include.contains(QStringLiteral("scores")) && t.layers() > 0 && t.head(0, 0).raw()) {
        json.key(QStringLiteral("scores"));
        writeSquares(json, t, sel, true, 1.0f / t.shape().scale());
    }
    if (include.contains(QStringLiteral("norms")) && t.hasValueNorms()) {
        json.key(QStringLiteral("norms"));  // [L'][H'][n][n]: || a_ij f_h(x_j) ||
        json.beginArray();
        for (int l : sel.layersOf(t)) {
            json.beginArray();
            for (int h : sel.headsOf(t)) {
                const std::vector<float> norms = valueWeightedNorms(t, l, h);
                json.beginArray();
                for (int i = 0; i < t.tokens(); ++i) json.floats(norms.data() + size_t(i) * size_t(t.tokens()), t.tokens());
                json.endArray();
            }
            json.endArray();
        }
        json.endArray();
    }
    if (include.contains(QStringLiteral("qkv")) && t.hasQk()) {
        json.key(QStringLiteral("q"));
        writeHeadColumns(json, t, t.heads(), [&](int l, int h, int i) { return t.qRow(l, h, i); });
        // k and v per key/value head (fewer than the query heads under grouped-query attention).
        const int group = std::max(1, t.heads() / t.kvHeads());
        json.key(QStringLiteral("k"));
        writeHeadColumns(json, t, t.kvHeads(), [&](int l, int g, int i) { return t.kRow(l, g * group, i); });
        if (t.hasV()) {
            json.key(QStringLiteral("v"));
            writeHeadColumns(json, t, t.kvHeads(), [&](int l, int g, int i) { return t.vRow(l, g * group, i); });
        }
    }
    if (include.contains(QStringLiteral("hidden")) && t.hasHidden()) {
        json.key(QStringLiteral("hidden_states"));
        json.beginArray();
        for (int i = 0; i <= t.layers(); ++i) {
            json.beginArray();
            for (int r = 0; r < t.tokens(); ++r) json.floats(t.hiddenState(i) + int64_t(r) * t.hidden(), t.hidden());
            json.endArray();
        }
        json.endArray();
    }
    json.endObject();
    return finish(json);
}

void writeEncodingFields(JsonWriter& json, const Encoding& e) {
    json.key(QStringLiteral("tokens"));
    writeStrings(json, e.tokens);
    json.key(QStringLiteral("ids"));
    json.ints(e.ids);
    json.key(QStringLiteral("offsets"));
    json.beginArray();
    for (const auto& [b, end] : e.offsets) json.ints({b, end});
    json.endArray();
}

Status writeAttentionsNpy(QIODevice& out, const AttentionTrace& t, const TraceSelection& sel) {
    // (L', H', n, n) streamed head by head: no copy of the whole trace.
    const std::vector<int> layers = sel.layersOf(t), heads = sel.headsOf(t);
    const QByteArray header = npyHeader({int64_t(layers.size()), int64_t(heads.size()), t.tokens(), t.tokens()});
    if (out.write(header) != header.size()) return internalError(QStringLiteral("cannot write the .npy data (%1)").arg(out.errorString()));
    const qint64 bytes = qint64(t.tokens()) * t.tokens() * qint64(sizeof(float));
    for (int l : layers)
        for (int h : heads)
            if (out.write(reinterpret_cast<const char*>(t.head(l, h).probs()), bytes) != bytes)
                return internalError(QStringLiteral("cannot write the .npy data (%1)").arg(out.errorString()));
    return {};
}

Status writeMatrixNpy(QIODevice& out, const float* matrix, int n) { return writeNpy(out, {n, n}, matrix); }

Status writeMatrixCsv(QIODevice& out, const float* m, int n, const QStringList& labels) {
    QByteArray text = "query \\ key";
    for (int j = 0; j < n; ++j) text += ',' + csvField(labels.value(j)).toUtf8();
    text += '\n';
    for (int i = 0; i < n; ++i) {
        text += csvField(labels.value(i)).toUtf8();
        for (int j = 0; j < n; ++j) text += ',' + QByteArray::number(double(m[int64_t(i) * n + j]), 'g', 9);
        text += '\n';
    }
    if (out.write(text) != text.size()) return internalError(QStringLiteral("cannot write the output"));
    return {};
}

Status writeMatrixJson(QIODevice& out, const float* m, int n, const QStringList& labels, int layer, int head) {
    JsonWriter json(&out);
    json.beginObject();
    json.key(QStringLiteral("layer"));
    json.value(layer);
    json.key(QStringLiteral("head"));
    if (head >= 0) json.value(head);
    else json.value(QStringLiteral("mean"));
    json.key(QStringLiteral("tokens"));
    writeStrings(json, labels);
    json.key(QStringLiteral("attention"));
    json.beginArray();
    for (int i = 0; i < n; ++i) json.floats(m + int64_t(i) * n, n);
    json.endArray();
    json.endObject();
    return finish(json);
}

}  // namespace attnscope::core
