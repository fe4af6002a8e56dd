#include "trace/trace_info.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace attnscope::core {
namespace {

Error bad(const QString& key, const QString& what) {
    return inputError(QStringLiteral("trace metadata '%1': %2").arg(key, what));
}

// A whole number in [min, max] stored as text.
Result<int> integer(const QHash<QString, QString>& m, const QString& key, int min, int max, bool required, int fallback = 0) {
    if (!m.contains(key)) {
        if (required) return bad(key, QStringLiteral("missing (every trace says it)"));
        return fallback;
    }
    bool ok = false;
    const qlonglong v = m.value(key).trimmed().toLongLong(&ok);
    if (!ok || v < min || v > max)
        return bad(key, QStringLiteral("'%1' is not a whole number from %2 to %3").arg(m.value(key).left(40)).arg(min).arg(max));
    return int(v);
}

Result<QJsonArray> jsonArray(const QHash<QString, QString>& m, const QString& key) {
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(m.value(key).toUtf8(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isArray()) return bad(key, QStringLiteral("not a JSON array"));
    return doc.array();
}

QString intList(const std::vector<int>& values) {
    QJsonArray a;
    for (int v : values) a.append(v);
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

}  // namespace

float TraceInfo::scoreScale() const { return scale > 0 ? scale : 1.0f / std::sqrt(float(headDim)); }

QString layerRangesText(const std::vector<int>& layers) {
    QStringList parts;
    for (size_t i = 0; i < layers.size();) {
        size_t j = i;
        while (j + 1 < layers.size() && layers[j + 1] == layers[j] + 1) ++j;
        parts << (j == i ? QString::number(layers[i]) : QStringLiteral("%1-%2").arg(layers[i]).arg(layers[j]));
        i = j + 1;
    }
    return parts.join(QStringLiteral(", "));
}

Result<std::vector<int>> parseLayerRanges(const QString& text, int count) {
    std::vector<int> out;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) return inputError(QStringLiteral("no layers given"));
    for (const QString& part : trimmed.split(QLatin1Char(','))) {
        const QStringList ends = part.trimmed().split(QLatin1Char('-'));
        bool ok1 = false, ok2 = false;
        const int a = ends.value(0).trimmed().toInt(&ok1);
        const int b = ends.size() == 2 ? ends[1].trimmed().toInt(&ok2) : a;
        if (!ok1 || (ends.size() == 2 && !ok2) || ends.size() > 2 || a > b || a < 0 || b >= count)
            return inputError(QStringLiteral("'%1' is not a layer or a range of layers from 0 to %2").arg(part.trimmed()).arg(count - 1));
        for (int l = a; l <= b; ++l) out.push_back(l);
    }
    std::sort(out.begin(), out.end());
    if (std::adjacent_find(out.begin(), out.end()) != out.end()) return inputError(QStringLiteral("a layer is listed twice"));
    return out;
}

Result<TraceInfo> TraceInfo::fromMetadata(const QHash<QString, QString>& m) {
    TraceInfo info;
    if (m.value(QStringLiteral("format")) != QLatin1String("attnscope-trace"))
        return inputError(m.contains(QStringLiteral("format"))
                              ? QStringLiteral("not an AttnScope trace: its metadata 'format' is '%1', not 'attnscope-trace'").arg(m.value(QStringLiteral("format")).left(40))
                              : QStringLiteral("not an AttnScope trace: the safetensors metadata has no 'format': 'attnscope-trace' "
                                               "(a model checkpoint opens as a model, not a trace)"));
    auto version = integer(m, QStringLiteral("version"), 1, 1000000, true);
    if (!version) return version.error();
    if (*version > kVersion)
        return bad(QStringLiteral("version"), QStringLiteral("%1 is newer than this AttnScope reads (%2); update AttnScope").arg(*version).arg(kVersion));
    info.version = *version;
    info.model = m.value(QStringLiteral("model"));
    info.modelType = m.value(QStringLiteral("model_type"));
    info.text = m.value(QStringLiteral("text"));

    if (!m.contains(QStringLiteral("tokens"))) return bad(QStringLiteral("tokens"), QStringLiteral("missing (every trace says it)"));
    auto tokens = jsonArray(m, QStringLiteral("tokens"));
    if (!tokens) return tokens.error();
    if (tokens->isEmpty() || tokens->size() > kMaxTokens)
        return bad(QStringLiteral("tokens"), QStringLiteral("holds %1 tokens (1 to %2 are read)").arg(tokens->size()).arg(kMaxTokens));
    for (const QJsonValue& v : *tokens) {
        if (!v.isString()) return bad(QStringLiteral("tokens"), QStringLiteral("token %1 is not a string").arg(info.tokens.size()));
        info.tokens << v.toString();
    }
    const int n = info.tokensCount();
    if (m.contains(QStringLiteral("offsets"))) {
        auto offsets = jsonArray(m, QStringLiteral("offsets"));
        if (!offsets) return offsets.error();
        if (offsets->size() != n)
            return bad(QStringLiteral("offsets"), QStringLiteral("holds %1 pairs for %2 tokens").arg(offsets->size()).arg(n));
        const int length = int(info.text.toUcs4().size());
        for (const QJsonValue& v : *offsets) {
            const QJsonArray pair = v.toArray();
            const double b = pair.at(0).toDouble(-1), e = pair.at(1).toDouble(-1);
            if (!v.isArray() || pair.size() != 2 || !(b >= 0 && b <= e && e <= length) || b != std::floor(b) || e != std::floor(e))
                return bad(QStringLiteral("offsets"), QStringLiteral("pair %1 is not [begin, end] within the text's %2 characters")
                                                          .arg(info.offsets.size()).arg(length));
            info.offsets.emplace_back(int(b), int(e));
        }
    }

    auto layers = integer(m, QStringLiteral("num_layers"), 1, kMaxLayers, true);
    auto heads = integer(m, QStringLiteral("num_heads"), 1, kMaxHeads, true);
    auto headDim = integer(m, QStringLiteral("head_dim"), 1, kMaxHeadDim, true);
    if (!layers) return layers.error();
    if (!heads) return heads.error();
    if (!headDim) return headDim.error();
    auto kvHeads = integer(m, QStringLiteral("num_kv_heads"), 1, *heads, false, *heads);
    if (!kvHeads) return kvHeads.error();
    if (*heads % *kvHeads != 0)
        return bad(QStringLiteral("num_kv_heads"), QStringLiteral("%1 does not divide num_heads %2").arg(*kvHeads).arg(*heads));
    auto hidden = integer(m, QStringLiteral("hidden_size"), 1, kMaxHeads * 1024, false, 0);
    if (!hidden) return hidden.error();
    info.numLayers = *layers;
    info.heads = *heads;
    info.kvHeads = *kvHeads;
    info.headDim = *headDim;
    info.hiddenSize = *hidden;

    const QString causal = m.value(QStringLiteral("causal"), QStringLiteral("missing")).trimmed().toLower();
    if (causal != QLatin1String("true") && causal != QLatin1String("false"))
        return bad(QStringLiteral("causal"), QStringLiteral("'%1', not true or false").arg(causal.left(40)));
    info.causal = causal == QLatin1String("true");
    if (m.contains(QStringLiteral("scale"))) {
        bool ok = false;
        info.scale = m.value(QStringLiteral("scale")).toFloat(&ok);
        if (!ok || !(info.scale > 0) || !std::isfinite(info.scale))
            return bad(QStringLiteral("scale"), QStringLiteral("'%1' is not a positive number").arg(m.value(QStringLiteral("scale")).left(40)));
    }

    if (m.contains(QStringLiteral("layers"))) {
        const QString text = m.value(QStringLiteral("layers")).trimmed();
        Result<std::vector<int>> list = inputError(QString());
        if (text.startsWith(QLatin1Char('['))) {
            auto array = jsonArray(m, QStringLiteral("layers"));
            if (!array) return array.error();
            QStringList parts;
            for (const QJsonValue& v : *array) parts << (v.isDouble() ? QString::number(v.toDouble()) : QStringLiteral("?"));
            list = parts.isEmpty() ? Result<std::vector<int>>(inputError(QStringLiteral("no layers given"))) : parseLayerRanges(parts.join(QLatin1Char(',')), info.numLayers);
        } else {
            list = parseLayerRanges(text, info.numLayers);
        }
        if (!list) return bad(QStringLiteral("layers"), list.message());
        info.layers = *list;
    } else {
        for (int l = 0; l < info.numLayers; ++l) info.layers.push_back(l);
    }
    if (m.contains(QStringLiteral("windows"))) {
        auto windows = jsonArray(m, QStringLiteral("windows"));
        if (!windows) return windows.error();
        if (windows->size() != int(info.layers.size()))
            return bad(QStringLiteral("windows"), QStringLiteral("holds %1 values for %2 layers").arg(windows->size()).arg(info.layers.size()));
        for (const QJsonValue& v : *windows) {
            const double w = v.toDouble(-1);
            if (!(w >= 0 && w <= 1e9) || w != std::floor(w)) return bad(QStringLiteral("windows"), QStringLiteral("a window is not a whole number >= 0"));
            info.windows.push_back(int(w));
        }
    }
    auto grid = integer(m, QStringLiteral("image_grid"), 1, 4096, false, 0);
    if (!grid) return grid.error();
    info.imageGrid = *grid;
    if (info.imageGrid > 0 && int64_t(info.imageGrid) * info.imageGrid > n)
        return bad(QStringLiteral("image_grid"), QStringLiteral("%1 x %1 patches do not fit in %2 tokens").arg(info.imageGrid).arg(n));
    return info;
}

Encoding TraceInfo::encoding() const {
    Encoding e;
    e.tokens = tokens;
    e.ids.assign(size_t(tokens.size()), -1);
    e.offsets = offsets;
    if (e.offsets.empty()) e.offsets.assign(size_t(tokens.size()), {0, 0});
    e.special.assign(size_t(tokens.size()), false);
    if (!offsets.empty())
        for (size_t i = 0; i < offsets.size(); ++i) e.special[i] = offsets[i].first == offsets[i].second;
    return e;
}

void TraceInfo::setTokens(const Encoding& encoding) {
    tokens = encoding.tokens;
    offsets = encoding.offsets;
    for (size_t i = 0; i < offsets.size() && i < encoding.special.size(); ++i)  // template tokens cover no text
        if (encoding.special[i]) offsets[i].second = offsets[i].first;
}

QHash<QString, QString> TraceInfo::toMetadata() const {
    QHash<QString, QString> m;
    m.insert(QStringLiteral("format"), QStringLiteral("attnscope-trace"));
    m.insert(QStringLiteral("version"), QString::number(version));
    if (!model.isEmpty()) m.insert(QStringLiteral("model"), model);
    if (!modelType.isEmpty()) m.insert(QStringLiteral("model_type"), modelType);
    m.insert(QStringLiteral("text"), text);
    m.insert(QStringLiteral("tokens"), QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(tokens)).toJson(QJsonDocument::Compact)));
    if (!offsets.empty()) {
        QJsonArray pairs;
        for (const auto& [b, e] : offsets) {
            QJsonArray pair;
            pair.append(b);
            pair.append(e);
            pairs.append(pair);
        }
        m.insert(QStringLiteral("offsets"), QString::fromUtf8(QJsonDocument(pairs).toJson(QJsonDocument::Compact)));
    }
    m.insert(QStringLiteral("num_layers"), QString::number(numLayers));
    m.insert(QStringLiteral("num_heads"), QString::number(heads));
    m.insert(QStringLiteral("num_kv_heads"), QString::number(kvHeads));
    m.insert(QStringLiteral("head_dim"), QString::number(headDim));
    if (hiddenSize > 0) m.insert(QStringLiteral("hidden_size"), QString::number(hiddenSize));
    m.insert(QStringLiteral("causal"), causal ? QStringLiteral("true") : QStringLiteral("false"));
    if (scale > 0) m.insert(QStringLiteral("scale"), QString::number(double(scale), 'g', 9));
    m.insert(QStringLiteral("layers"), intList(layers));
    if (!windows.empty()) m.insert(QStringLiteral("windows"), intList(windows));
    if (imageGrid > 0) m.insert(QStringLiteral("image_grid"), QString::number(imageGrid));
    return m;
}

}  // namespace attnscope::core
