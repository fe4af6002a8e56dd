#include "cli_common.h"
#include "commands.h"

#include "io/json_writer.h"
#include "io/npy_writer.h"
#include "model/text_analysis.h"

#include <QSet>

#include <cmath>

#include <vector>

namespace attnscope::cli {
namespace {

using core::AttentionTrace;
using core::JsonWriter;

// [L][H][n][n] from per-head (n, n) blocks.
template <typename Block>
void writeSquares(JsonWriter& json, const AttentionTrace& t, Block block, float scale = 1.0f) {
    const int n = t.tokens();
    std::vector<float> row(size_t(n), 0.0f);
    json.beginArray();
    for (int l = 0; l < t.layers(); ++l) {
        json.beginArray();
        for (int h = 0; h < t.heads(); ++h) {
            const float* m = block(l, h);
            json.beginArray();
            for (int i = 0; i < n; ++i) {
                for (int j = 0; j < n; ++j) row[size_t(j)] = m[int64_t(i) * n + j] / scale;
                json.floats(row.data(), n);
            }
            json.endArray();
        }
        json.endArray();
    }
    json.endArray();
}

// [L][H][n][d] from an (n, H) matrix per layer (head h = columns [h d, (h + 1) d)).
template <typename Matrix>
void writeHeadColumns(JsonWriter& json, const AttentionTrace& t, Matrix matrix) {
    const int n = t.tokens(), d = t.headDim(), H = t.hidden();
    json.beginArray();
    for (int l = 0; l < t.layers(); ++l) {
        const float* m = matrix(l);
        json.beginArray();
        for (int h = 0; h < t.heads(); ++h) {
            json.beginArray();
            for (int i = 0; i < n; ++i) json.floats(m + int64_t(i) * H + int64_t(h) * d, d);
            json.endArray();
        }
        json.endArray();
    }
    json.endArray();
}

void writeJson(JsonWriter& json, const core::LoadedModel& model, const core::TextAnalysis& a, const QSet<QString>& include) {
    const AttentionTrace& t = *a.trace;
    json.beginObject();
    json.key(QStringLiteral("model_type"));
    json.value(model.config().modelType);
    json.key(QStringLiteral("tokens"));
    json.beginArray();
    for (const QString& s : a.encoding.tokens) json.value(s);
    json.endArray();
    json.key(QStringLiteral("ids"));
    json.ints(a.encoding.ids);
    json.key(QStringLiteral("offsets"));
    json.beginArray();
    for (const auto& [b, e] : a.encoding.offsets) json.ints({b, e});
    json.endArray();
    json.key(QStringLiteral("truncated"));
    json.value(a.truncated);
    json.key(QStringLiteral("num_layers"));
    json.value(t.layers());
    json.key(QStringLiteral("num_heads"));
    json.value(t.heads());
    json.key(QStringLiteral("attentions"));
    writeSquares(json, t, [&](int l, int h) { return t.probs(l, h); });
    if (include.contains(QStringLiteral("scores"))) {
        // Scaled q.k / sqrt(d), before the mask and the softmax.
        json.key(QStringLiteral("scores"));
        writeSquares(json, t, [&](int l, int h) { return t.rawScores(l, h); }, std::sqrt(float(t.headDim())));
    }
    if (include.contains(QStringLiteral("qkv"))) {
        json.key(QStringLiteral("q"));
        writeHeadColumns(json, t, [&](int l) { return t.q(l); });
        json.key(QStringLiteral("k"));
        writeHeadColumns(json, t, [&](int l) { return t.k(l); });
        json.key(QStringLiteral("v"));
        writeHeadColumns(json, t, [&](int l) { return t.v(l); });
    }
    if (include.contains(QStringLiteral("hidden"))) {
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
    json.endLine();
}

core::Status writeNpyAttentions(QIODevice& out, const AttentionTrace& t) {
    const int64_t square = int64_t(t.tokens()) * t.tokens();
    std::vector<float> all(size_t(t.layers()) * size_t(t.heads()) * size_t(square));  // (L, H, n, n)
    for (int l = 0; l < t.layers(); ++l)
        for (int h = 0; h < t.heads(); ++h)
            std::copy_n(t.probs(l, h), square, all.begin() + (int64_t(l) * t.heads() + h) * square);
    return core::writeNpy(out, {t.layers(), t.heads(), t.tokens(), t.tokens()}, all.data());
}

}  // namespace

int runAttention(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("model"), QStringLiteral("Hugging Face model folder."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("The input text."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("include"),
                      QStringLiteral("Also write: hidden (hidden_states [L+1][n][d]), qkv (q, k, v [L][H][n][d_head]), "
                                     "scores (scaled q.k before mask and softmax [L][H][n][n]); comma-separated."),
                      QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("json (default) or npy (attentions as float32 (L, H, n, n))."),
                      QStringLiteral("FORMAT"), QStringLiteral("json")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output file (default: standard output)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("truncate"), QStringLiteral("Keep the first tokens that fit the model instead of failing.")});
    if (int status = parseCommand(parser, args, QStringLiteral("Runs the model on the text and writes the attention "
                                                               "probabilities of every layer and head."));
        status >= 0)
        return status;

    const QString format = parser.value(QStringLiteral("format"));
    if (format != QLatin1String("json") && format != QLatin1String("npy"))
        return usageError(QStringLiteral("--format must be json or npy, not '%1'").arg(format));
    QSet<QString> include;
    if (parser.isSet(QStringLiteral("include"))) {
        for (const QString& part : parser.value(QStringLiteral("include")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString p = part.trimmed();
            if (p != QLatin1String("hidden") && p != QLatin1String("qkv") && p != QLatin1String("scores"))
                return usageError(QStringLiteral("--include: unknown part '%1' (hidden, qkv, scores)").arg(p));
            include.insert(p);
        }
        if (format == QLatin1String("npy") && !include.isEmpty())
            return usageError(QStringLiteral("--include works with --format json; npy holds the attentions only"));
    }
    auto text = textOption(parser);
    if (!text) return fail(text.error());
    auto model = loadModelOption(parser);
    if (!model) return fail(model.error());
    core::AnalysisOptions options;
    options.truncate = parser.isSet(QStringLiteral("truncate"));
    auto analysis = core::analyzeText(*model, *text, options);
    if (!analysis) return fail(analysis.error());

    Output out;
    if (core::Status s = out.open(parser.value(QStringLiteral("out"))); !s) return fail(s.error());
    if (format == QLatin1String("npy")) {
        if (core::Status s = writeNpyAttentions(*out.device(), *analysis->trace); !s) return fail(s.error());
    } else {
        JsonWriter json(out.device());
        writeJson(json, *model, *analysis, include);
        if (!json.flush()) return fail(core::internalError(QStringLiteral("cannot write the output")));
    }
    if (core::Status s = out.commit(); !s) return fail(s.error());
    return kExitOk;
}

}  // namespace attnscope::cli
