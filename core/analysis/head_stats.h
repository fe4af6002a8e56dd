#pragma once

#include "trace/attention_trace.h"
#include "util/result.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace attnscope::core {

// One head's statistics on one input (n tokens, a = the head's attention matrix (n, n)):
//   entropy        mean over rows i of -sum_j a_ij ln a_ij (nats; zeros contribute 0)
//   mean_distance  mean over rows of sum_j a_ij |i - j|
//   to_special     mean over rows of the weight on template tokens ([CLS], [SEP], <s>, BOS...)
//   to_self        mean a_ii
//   to_previous    mean over i >= 1 of a_i,i-1 (0 for a single token)
//   to_next        mean over i < n-1 of a_i,i+1 (0 for a single token)
//   max_weight     the largest a_ij
//   from_to        a_IJ, when a query I and key J were given
struct HeadStats {
    int layer = 0, head = 0;
    double entropy = 0, meanDistance = 0, toSpecial = 0, toSelf = 0, toPrevious = 0, toNext = 0, maxWeight = 0;
    std::optional<double> fromTo;

    // The statistic named as in the CLI and JSON ("entropy", "mean_distance", ..., "from_to").
    std::optional<double> value(const QString& key) const;
};

// The keys in output order (from_to last).
QStringList headStatKeys();

// One head's statistics from its attention matrix a (n, n); special: one flag per key token.
HeadStats headStatsOf(const float* a, int n, const std::vector<bool>& special);

// Every head of every layer, in layer-major order. special: one flag per token (template tokens);
// from/to: token indices for from_to (-1: none; both or neither, checked by the caller).
std::vector<HeadStats> headStatistics(const AttentionTrace& trace, const std::vector<bool>& special, int from = -1, int to = -1);

// Sorts by a key, descending ("entropy") or ascending ("-entropy"); stable, so ties keep layer order.
// An unknown key is an input error naming the keys.
Status sortHeadStats(std::vector<HeadStats>& stats, const QString& key);

// Statistics averaged over a corpus: per-head sums of each input's statistics and the number of
// inputs, so shards computed apart (a Slurm array, GNU parallel) merge by adding.
struct HeadStatsSums {
    HeadStatsSums() = default;
    HeadStatsSums(QString type, int layerCount, int headCount) : modelType(std::move(type)), layers(layerCount), heads(headCount) {}

    QString modelType;
    int layers = 0, heads = 0;
    qint64 texts = 0;
    std::vector<std::vector<double>> sums;  // [layer * heads + head][key index] (the keys without from_to)

    void add(const std::vector<HeadStats>& one);
    Status merge(const HeadStatsSums& other);  // the same model shape, or an input error
    std::vector<HeadStats> mean() const;
    QByteArray toJson() const;  // the --partial file
    static Result<HeadStatsSums> fromJson(const QByteArray& json, const QString& name);
};

}  // namespace attnscope::core
