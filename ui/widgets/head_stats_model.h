#pragma once

#include "analysis/head_stats.h"

#include <QAbstractTableModel>

#include <vector>

namespace attnscope::ui {

// The head statistics as a table: layer, head, then each statistic (and "from → to" when a token
// pair is chosen). Sorting uses Qt::UserRole (the number); the display rounds to 3 decimals.
class HeadStatsModel : public QAbstractTableModel {
    Q_OBJECT

public:
    using QAbstractTableModel::QAbstractTableModel;

    void setStats(std::vector<core::HeadStats> stats);
    const std::vector<core::HeadStats>& stats() const { return m_stats; }
    bool hasPair() const { return !m_stats.empty() && m_stats.front().fromTo.has_value(); }
    // The column of a statistic's key ("entropy"...), -1 when not shown.
    int columnOf(const QString& key) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QStringList keys() const;
    std::vector<core::HeadStats> m_stats;
};

}  // namespace attnscope::ui
