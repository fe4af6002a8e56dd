#include "widgets/head_stats_model.h"

namespace attnscope::ui {
namespace {

QString headerOf(const QString& key) {
    static const QHash<QString, QString> names{{QStringLiteral("entropy"), QStringLiteral("entropy")},
                                               {QStringLiteral("mean_distance"), QStringLiteral("distance")},
                                               {QStringLiteral("to_special"), QStringLiteral("→ special")},
                                               {QStringLiteral("to_self"), QStringLiteral("→ self")},
                                               {QStringLiteral("to_previous"), QStringLiteral("→ previous")},
                                               {QStringLiteral("to_next"), QStringLiteral("→ next")},
                                               {QStringLiteral("max_weight"), QStringLiteral("max")},
                                               {QStringLiteral("from_to"), QStringLiteral("from → to")}};
    return names.value(key, key);
}

QString tipOf(const QString& key) {
    static const QHash<QString, QString> tips{
        {QStringLiteral("entropy"), QStringLiteral("Mean over query rows of −Σ a ln a (nats): 0 = each token looks at one token; ln n = evenly at all")},
        {QStringLiteral("mean_distance"), QStringLiteral("Mean over rows of Σ a_ij |i − j|: how far, in tokens, a head looks")},
        {QStringLiteral("to_special"), QStringLiteral("Mean weight on template tokens ([CLS], [SEP], <s>, BOS): often a 'no-op' sink")},
        {QStringLiteral("to_self"), QStringLiteral("Mean weight a token gives itself")},
        {QStringLiteral("to_previous"), QStringLiteral("Mean weight on the token just before")},
        {QStringLiteral("to_next"), QStringLiteral("Mean weight on the token just after")},
        {QStringLiteral("max_weight"), QStringLiteral("The largest weight anywhere in the head")},
        {QStringLiteral("from_to"), QStringLiteral("The weight the chosen query token gives the chosen key token")}};
    return tips.value(key);
}

}  // namespace

void HeadStatsModel::setStats(std::vector<core::HeadStats> stats) {
    beginResetModel();
    m_stats = std::move(stats);
    endResetModel();
}

QStringList HeadStatsModel::keys() const {
    QStringList k = core::headStatKeys();
    if (!hasPair()) k.removeLast();
    return k;
}

int HeadStatsModel::columnOf(const QString& key) const {
    const int i = keys().indexOf(key);
    return i < 0 ? -1 : i + 2;
}

int HeadStatsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_stats.size()); }
int HeadStatsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : 2 + int(keys().size()); }

QVariant HeadStatsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_stats.size())) return {};
    const core::HeadStats& s = m_stats[size_t(index.row())];
    const int c = index.column();
    const double value = c == 0 ? s.layer : c == 1 ? s.head : s.value(keys()[c - 2]).value_or(0);
    switch (role) {
        case Qt::DisplayRole: return c < 2 ? QString::number(int(value)) : QString::number(value, 'f', 3);
        case Qt::UserRole: return c == 0 ? s.layer * 100000.0 + s.head : value;  // by layer, then head
        case Qt::TextAlignmentRole: return int(Qt::AlignRight | Qt::AlignVCenter);
        default: return {};
    }
}

QVariant HeadStatsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    const QString key = section >= 2 && section - 2 < keys().size() ? keys()[section - 2] : QString();
    if (role == Qt::DisplayRole) return section == 0 ? tr("layer") : section == 1 ? tr("head") : headerOf(key);
    if (role == Qt::ToolTipRole && !key.isEmpty()) return tipOf(key);
    return {};
}

}  // namespace attnscope::ui
