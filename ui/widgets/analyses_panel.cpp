#include "widgets/analyses_panel.h"

#include "widgets/head_stats_model.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace attnscope::ui {

AnalysesPanel::AnalysesPanel(ViewState* state, QWidget* parent) : QWidget(parent), m_state(state) {
    m_model = new HeadStatsModel(this);
    m_sorted = new QSortFilterProxyModel(this);
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(Qt::UserRole);
    m_table = new QTableView;
    m_table->setModel(m_sorted);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::AscendingOrder);  // layer by layer until a column is chosen
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setToolTip(tr("Click a head to show it in every view; click a column header to sort"));
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex& index) {
        const QModelIndex source = m_sorted->mapToSource(index);
        if (!source.isValid()) return;
        const core::HeadStats& s = m_model->stats()[size_t(source.row())];
        m_state->setHeadMode(HeadMode::Single);
        m_state->setLayer(s.layer);
        m_state->setHead(s.head);
    });

    m_from = new QComboBox;
    m_to = new QComboBox;
    for (QComboBox* box : {m_from, m_to}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        connect(box, &QComboBox::currentIndexChanged, this, [this] { setPair(m_from->currentIndex() - 1, m_to->currentIndex() - 1); });
    }
    m_pick = new QToolButton;
    m_pick->setText(tr("Pick two chips"));
    m_pick->setCheckable(true);
    m_pick->setToolTip(tr("Click a token chip (the query), then another (the key): the heads rank by how much the first attends to the second"));
    connect(m_pick, &QToolButton::toggled, this, [this](bool on) {
        m_picked = -1;
        m_summary->setText(on ? tr("Click the query token's chip…") : QString());
    });
    auto* copy = new QToolButton;
    copy->setText(tr("Copy table"));
    copy->setToolTip(tr("The table as shown, tab-separated, for a spreadsheet"));
    connect(copy, &QToolButton::clicked, this, [this] { QApplication::clipboard()->setText(tableText()); });

    auto* pair = new QHBoxLayout;
    pair->addWidget(new QLabel(tr("Which heads make")));
    pair->addWidget(m_from);
    pair->addWidget(new QLabel(tr("attend to")));
    pair->addWidget(m_to);
    pair->addWidget(m_pick);
    pair->addStretch();
    pair->addWidget(copy);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(pair);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    connect(state, &ViewState::focusChanged, this, &AnalysesPanel::pinChanged);
    connect(state, &ViewState::changed, this, &AnalysesPanel::selectCurrentHead);
}

// The head the views show is the table's selected row (none while showing the mean or all heads).
void AnalysesPanel::selectCurrentHead() {
    const auto& stats = m_model->stats();
    for (size_t i = 0; i < stats.size(); ++i) {
        if (stats[i].layer != m_state->layer() || stats[i].head != m_state->head()) continue;
        const QModelIndex row = m_sorted->mapFromSource(m_model->index(int(i), 0));
        if (m_state->headMode() != HeadMode::Single) break;
        if (m_table->currentIndex().row() != row.row()) {
            m_table->selectRow(row.row());
            m_table->scrollTo(row);
        }
        return;
    }
    m_table->clearSelection();
}

void AnalysesPanel::setResult(AnalysisResultPtr result) {
    m_result = std::move(result);
    fillPairChoices();
    if (isVisible()) recompute();
}

void AnalysesPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_computed != m_result) recompute();
}

void AnalysesPanel::fillPairChoices() {
    for (QComboBox* box : {m_from, m_to}) {
        const QSignalBlocker block(box);
        const int keep = box->currentIndex();
        box->clear();
        box->addItem(tr("(token)"));
        if (m_result)
            for (int i = 0; i < m_result->labels.size(); ++i) box->addItem(QStringLiteral("#%1 %2").arg(i).arg(m_result->labels[i]));
        box->setCurrentIndex(keep < box->count() ? std::max(0, keep) : 0);
    }
}

void AnalysesPanel::setPair(int from, int to) {
    for (auto [box, value] : {std::pair{m_from, from}, std::pair{m_to, to}}) {
        const QSignalBlocker block(box);
        box->setCurrentIndex(value + 1 < box->count() ? value + 1 : 0);
    }
    recompute();
}

void AnalysesPanel::recompute() {
    m_computed = m_result;
    if (!m_result || !m_result->trace) {
        m_model->setStats({});
        m_summary->clear();
        return;
    }
    const int from = m_from->currentIndex() - 1, to = m_to->currentIndex() - 1;
    const bool pair = from >= 0 && to >= 0;
    m_model->setStats(core::headStatistics(*m_result->trace, m_result->encoding.special, pair ? from : -1, pair ? to : -1));
    selectCurrentHead();
    if (pair) {
        m_table->sortByColumn(m_model->columnOf(QStringLiteral("from_to")), Qt::DescendingOrder);
        const core::HeadStats* best = nullptr;
        for (const core::HeadStats& s : m_model->stats())
            if (!best || *s.fromTo > *best->fromTo) best = &s;
        if (best)
            m_summary->setText(tr("“%1” attends to “%2” most in layer %3, head %4 (%5).")
                                   .arg(m_result->labels.value(from), m_result->labels.value(to))
                                   .arg(best->layer)
                                   .arg(best->head)
                                   .arg(*best->fromTo, 0, 'f', 3));
    } else if (!m_pick->isChecked()) {
        m_summary->setText(tr("%1 heads on %2 tokens. Entropy near 0: a head that looks at one token; near ln n = %3: evenly at all.")
                               .arg(m_model->rowCount())
                               .arg(m_result->trace->tokens())
                               .arg(std::log(double(std::max(1, m_result->trace->tokens()))), 0, 'f', 2));
    }
}

// Pick mode: the next two chips pinned become the pair (query, then key).
void AnalysesPanel::pinChanged() {
    const int pin = m_state->pinnedToken();
    if (pin == m_lastPin) return;
    m_lastPin = pin;
    if (!m_pick->isChecked() || pin < 0) return;
    if (m_picked < 0) {
        m_picked = pin;
        m_summary->setText(tr("Query “%1”: now click the key token's chip…").arg(m_result ? m_result->labels.value(pin) : QString()));
        return;
    }
    const int from = m_picked;
    m_pick->setChecked(false);
    setPair(from, pin);
}

QList<QPair<int, int>> AnalysesPanel::rowsInOrder() const {
    QList<QPair<int, int>> rows;
    for (int r = 0; r < m_sorted->rowCount(); ++r) {
        const QModelIndex source = m_sorted->mapToSource(m_sorted->index(r, 0));
        const core::HeadStats& s = m_model->stats()[size_t(source.row())];
        rows << qMakePair(s.layer, s.head);
    }
    return rows;
}

QString AnalysesPanel::tableText() const {
    QStringList lines;
    QStringList header;
    for (int c = 0; c < m_sorted->columnCount(); ++c) header << m_sorted->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
    lines << header.join(QLatin1Char('\t'));
    for (int r = 0; r < m_sorted->rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < m_sorted->columnCount(); ++c)
            cells << (c < 2 ? m_sorted->index(r, c).data(Qt::DisplayRole).toString() : QString::number(m_sorted->index(r, c).data(Qt::UserRole).toDouble(), 'g', 6));
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

}  // namespace attnscope::ui
