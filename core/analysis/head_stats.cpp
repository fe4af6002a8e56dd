#include "analysis/head_stats.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace attnscope::core {
namespace {

constexpr int kKeys = 7;  // the statistics summed over a corpus (all but from_to)
const char* const kNames[kKeys] = {"entropy", "mean_distance", "to_special", "to_self", "to_previous", "to_next", "max_weight"};
constexpr const char* kPartialFormat = "attnscope-head-stats-partial";

double* field(HeadStats& s, int k) {
    double* fields[kKeys] = {&s.entropy, &s.meanDistance, &s.toSpecial, &s.toSelf, &s.toPrevious, &s.toNext, &s.maxWeight};
    return fields[k];
}

}  // namespace

HeadStats headStatsOf(const float* a, int n, const std::vector<bool>& special) {
    HeadStats s;
    double entropy = 0, distance = 0, toSpecial = 0, self = 0, previous = 0, next = 0;
    float mx = 0;
    for (int i = 0; i < n; ++i) {
        const float* row = a + int64_t(i) * n;
        double h = 0, d = 0, sp = 0;
        for (int j = 0; j < n; ++j) {
            const float w = row[j];
            if (w > 0) h -= double(w) * double(std::log(w));
            d += double(w) * std::abs(i - j);
            if (j < int(special.size()) && special[size_t(j)]) sp += w;
            mx = std::max(mx, w);
        }
        entropy += h;
        distance += d;
        toSpecial += sp;
        self += row[i];
        if (i >= 1) previous += row[i - 1];
        if (i + 1 < n) next += row[i + 1];
    }
    s.entropy = entropy / n;
    s.meanDistance = distance / n;
    s.toSpecial = toSpecial / n;
    s.toSelf = self / n;
    s.toPrevious = n > 1 ? previous / (n - 1) : 0;
    s.toNext = n > 1 ? next / (n - 1) : 0;
    s.maxWeight = mx;
    return s;
}

QStringList headStatKeys() {
    QStringList keys;
    for (const char* k : kNames) keys << QString::fromLatin1(k);
    keys << QStringLiteral("from_to");
    return keys;
}

std::optional<double> HeadStats::value(const QString& key) const {
    const int k = headStatKeys().indexOf(key);
    if (k < 0) return std::nullopt;
    if (k == kKeys) return fromTo;
    return *field(const_cast<HeadStats&>(*this), k);
}

std::vector<HeadStats> headStatistics(const AttentionTrace& t, const std::vector<bool>& special, int from, int to) {
    const int n = t.tokens();
    std::vector<bool> flags = special;
    flags.resize(size_t(n), false);
    std::vector<HeadStats> out;
    out.reserve(size_t(t.layers()) * size_t(t.heads()));
    for (int l = 0; l < t.layers(); ++l)
        for (int h = 0; h < t.heads(); ++h) {
            const HeadMatrices m = t.head(l, h);  // rebuilt from q and k for a long prompt
            HeadStats s = n > 0 ? headStatsOf(m.probs(), n, flags) : HeadStats();
            s.layer = l;
            s.head = h;
            if (from >= 0 && to >= 0 && from < n && to < n) s.fromTo = m.prob(from, to);
            out.push_back(s);
        }
    return out;
}

Status sortHeadStats(std::vector<HeadStats>& stats, const QString& key) {
    const bool ascending = key.startsWith(QLatin1Char('-'));
    const QString name = ascending ? key.mid(1) : key;
    if (!headStatKeys().contains(name))
        return inputError(QStringLiteral("unknown statistic '%1' (%2; prefix - for ascending)").arg(name, headStatKeys().join(QStringLiteral(", "))));
    std::stable_sort(stats.begin(), stats.end(), [&](const HeadStats& a, const HeadStats& b) {
        const double x = a.value(name).value_or(-INFINITY), y = b.value(name).value_or(-INFINITY);
        return ascending ? x < y : x > y;
    });
    return {};
}

void HeadStatsSums::add(const std::vector<HeadStats>& one) {
    if (sums.empty()) sums.assign(size_t(layers) * size_t(heads), std::vector<double>(kKeys, 0.0));
    for (const HeadStats& s : one) {
        const size_t at = size_t(s.layer) * size_t(heads) + size_t(s.head);
        if (at >= sums.size()) continue;
        for (int k = 0; k < kKeys; ++k) sums[at][size_t(k)] += *field(const_cast<HeadStats&>(s), k);
    }
    ++texts;
}

Status HeadStatsSums::merge(const HeadStatsSums& o) {
    if (o.layers != layers || o.heads != heads || o.modelType != modelType)
        return inputError(QStringLiteral("the partial sums are of different models (%1, %2 x %3 heads, and %4, %5 x %6 heads)")
                              .arg(modelType)
                              .arg(layers)
                              .arg(heads)
                              .arg(o.modelType)
                              .arg(o.layers)
                              .arg(o.heads));
    if (sums.empty()) sums.assign(size_t(layers) * size_t(heads), std::vector<double>(kKeys, 0.0));
    for (size_t i = 0; i < sums.size() && i < o.sums.size(); ++i)
        for (int k = 0; k < kKeys; ++k) sums[i][size_t(k)] += o.sums[i][size_t(k)];
    texts += o.texts;
    return {};
}

std::vector<HeadStats> HeadStatsSums::mean() const {
    std::vector<HeadStats> out;
    for (int l = 0; l < layers; ++l)
        for (int h = 0; h < heads; ++h) {
            HeadStats s;
            s.layer = l;
            s.head = h;
            const size_t at = size_t(l) * size_t(heads) + size_t(h);
            if (texts > 0 && at < sums.size())
                for (int k = 0; k < kKeys; ++k) *field(s, k) = sums[at][size_t(k)] / double(texts);
            out.push_back(s);
        }
    return out;
}

QByteArray HeadStatsSums::toJson() const {
    QJsonArray keys, rows;
    for (const char* k : kNames) keys.append(QString::fromLatin1(k));
    for (const std::vector<double>& row : sums) {
        QJsonArray r;
        for (double v : row) r.append(v);
        rows.append(r);
    }
    const QJsonObject o{{"format", kPartialFormat}, {"version", 1},   {"model_type", modelType}, {"num_layers", layers},
                        {"num_heads", heads},      {"texts", texts},  {"keys", keys},            {"sums", rows}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Result<HeadStatsSums> HeadStatsSums::fromJson(const QByteArray& json, const QString& name) {
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    const QJsonObject o = doc.object();
    if (err.error != QJsonParseError::NoError || !doc.isObject() || o.value(QStringLiteral("format")).toString() != QLatin1String(kPartialFormat))
        return inputError(QStringLiteral("%1: not a partial head statistics file (from heads --corpus ... --partial)").arg(name));
    HeadStatsSums s;
    s.modelType = o.value(QStringLiteral("model_type")).toString();
    s.layers = o.value(QStringLiteral("num_layers")).toInt(-1);
    s.heads = o.value(QStringLiteral("num_heads")).toInt(-1);
    const double texts = o.value(QStringLiteral("texts")).toDouble(-1);
    const QJsonArray rows = o.value(QStringLiteral("sums")).toArray();
    QStringList keys;
    for (const QJsonValue& k : o.value(QStringLiteral("keys")).toArray()) keys << k.toString();
    QStringList expected = headStatKeys();
    expected.removeLast();
    if (s.layers < 1 || s.layers > 4096 || s.heads < 1 || s.heads > 4096 || !(texts >= 0 && texts <= 9e15) || texts != std::floor(texts) || keys != expected ||
        rows.size() != qint64(s.layers) * s.heads)
        return inputError(QStringLiteral("%1: the partial head statistics are malformed").arg(name));
    s.texts = qint64(texts);
    for (const QJsonValue& r : rows) {
        const QJsonArray values = r.toArray();
        if (values.size() != kKeys) return inputError(QStringLiteral("%1: the partial head statistics are malformed").arg(name));
        std::vector<double> row;
        for (const QJsonValue& v : values) {
            if (!v.isDouble() || !std::isfinite(v.toDouble())) return inputError(QStringLiteral("%1: the partial head statistics are malformed").arg(name));
            row.push_back(v.toDouble());
        }
        s.sums.push_back(std::move(row));
    }
    return s;
}

}  // namespace attnscope::core
