#include "widgets/ablation_panel.h"

#include "io/atomic_file.h"
#include "widgets/file_dialogs.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QTextStream>
#include <QVBoxLayout>

namespace attnscope::ui {
namespace {

QString csvField(QString s) {
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n'))) return s;
    return QLatin1Char('"') + s.replace(QLatin1String("\""), QLatin1String("\"\"")) + QLatin1Char('"');
}

const QColor kOff(214, 96, 77);

}  // namespace

AblationPanel::AblationPanel(ViewState* state, QWidget* parent) : QWidget(parent), m_state(state) {
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Click a head to switch it off: its context is zeroed before the output projection and "
                                "everything after it is computed again. Predictions show the probabilities before → after."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_grid = new QTableWidget;
    m_grid->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_grid->setSelectionMode(QAbstractItemView::NoSelection);
    m_grid->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_grid->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_grid->setToolTip(tr("Rows are layers, columns heads; a red cell is switched off"));
    connect(m_grid, &QTableWidget::cellClicked, this, [this](int row, int column) { m_state->toggleAblated(row, column); });
    layout->addWidget(m_grid, 1);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    auto* buttons = new QHBoxLayout;
    m_focused = new QPushButton(tr("Switch off the current head"));
    connect(m_focused, &QPushButton::clicked, this, [this] { m_state->toggleAblated(m_state->layer(), m_state->head()); });
    m_clear = new QPushButton(tr("All on"));
    connect(m_clear, &QPushButton::clicked, this, [this] { m_state->setAblated({}); });
    m_export = new QPushButton(tr("Export table…"));
    connect(m_export, &QPushButton::clicked, this, &AblationPanel::exportTable);
    buttons->addWidget(m_focused);
    buttons->addWidget(m_clear);
    buttons->addStretch();
    buttons->addWidget(m_export);
    layout->addLayout(buttons);
    connect(m_state, &ViewState::changed, this, &AblationPanel::sync);
    sync();
}

void AblationPanel::setResult(AnalysisResultPtr result) {
    m_result = std::move(result);
    sync();
}

void AblationPanel::rebuild() {
    m_layers = m_state->layers();
    m_heads = m_state->heads();
    const QSignalBlocker block(m_grid);
    m_grid->setRowCount(m_layers);
    m_grid->setColumnCount(m_heads);
    QStringList rows, columns;
    const core::AttentionTrace* t = m_result && m_result->trace ? m_result->trace.get() : nullptr;
    for (int l = 0; l < m_layers; ++l) rows << tr("Layer %1").arg(t && l < t->layers() ? t->layerNumber(l) : l);
    for (int h = 0; h < m_heads; ++h) columns << QString::number(h);
    m_grid->setVerticalHeaderLabels(rows);
    m_grid->setHorizontalHeaderLabels(columns);
    for (int l = 0; l < m_layers; ++l)
        for (int h = 0; h < m_heads; ++h) m_grid->setItem(l, h, new QTableWidgetItem);
}

void AblationPanel::sync() {
    if (m_layers != m_state->layers() || m_heads != m_state->heads()) rebuild();
    for (int l = 0; l < m_layers; ++l)
        for (int h = 0; h < m_heads; ++h) {
            QTableWidgetItem* item = m_grid->item(l, h);
            const bool off = m_state->isAblated(l, h);
            item->setText(off ? tr("off") : QString());
            item->setTextAlignment(Qt::AlignCenter);
            item->setBackground(off ? QBrush(kOff) : QBrush());
            item->setForeground(off ? QBrush(Qt::white) : QBrush());
            item->setToolTip(tr("Layer %1, head %2: %3 (click to switch %4)").arg(l).arg(h).arg(off ? tr("off") : tr("on"), off ? tr("on") : tr("off")));
        }
    m_focused->setText(m_state->isAblated(m_state->layer(), m_state->head()) ? tr("Switch layer %1 head %2 on").arg(m_state->layer()).arg(m_state->head())
                                                                              : tr("Switch layer %1 head %2 off").arg(m_state->layer()).arg(m_state->head()));
    m_clear->setEnabled(!m_state->ablated().empty());
    const bool compared = m_result && !m_result->ablated.empty() && !m_result->predictions.empty() && !m_result->predictions[0].before.empty();
    m_export->setEnabled(compared);
    const bool file = m_result && m_result->fromFile();  // switching heads off reruns the model
    m_grid->setEnabled(!file);
    m_focused->setEnabled(!file);
    m_summary->setText(file ? tr("Switching heads off reruns the model without them; a trace file is a run already made. "
                                 "Open the model itself to ablate heads.")
                            : summary());
}

QString AblationPanel::summary() const {
    const size_t off = m_state->ablated().size();
    if (off == 0) return tr("Every head is on.");
    QString text = tr("%n head(s) off.", "", int(off));
    if (!m_result || m_result->ablated.size() != off) return text + QLatin1Char(' ') + tr("Computing…");
    for (const PositionPredictions& pp : m_result->predictions) {
        if (pp.top.empty() || pp.before.empty()) continue;
        text += QLatin1Char(' ') + tr("“%1” at #%2: %3% → %4%.")
                                       .arg(pp.texts.value(0).trimmed())
                                       .arg(pp.position)
                                       .arg(pp.before[0] * 100, 0, 'f', 1)
                                       .arg(pp.top[0].probability * 100, 0, 'f', 1);
        break;
    }
    return text;
}

QString AblationPanel::predictionsCsv(const AnalysisResult& r) {
    QString out;
    QTextStream t(&out);
    QStringList heads;
    for (const core::HeadRef& h : r.ablated) heads << QStringLiteral("%1:%2").arg(h.layer).arg(h.head);
    t << "# heads off (layer:head): " << heads.join(QLatin1Char(' ')) << '\n';
    t << "position,token,rank,candidate,probability_all_heads,probability_ablated,change\n";
    for (const PositionPredictions& pp : r.predictions) {
        if (pp.before.size() != pp.top.size()) continue;
        for (size_t i = 0; i < pp.top.size(); ++i)
            t << pp.position << ',' << csvField(r.labels.value(pp.position)) << ',' << i + 1 << ',' << csvField(pp.texts.value(int(i)))
              << ',' << QString::number(pp.before[i], 'g', 9) << ',' << QString::number(pp.top[i].probability, 'g', 9) << ','
              << QString::number(pp.top[i].probability - pp.before[i], 'g', 9) << '\n';
    }
    t.flush();
    return out;
}

void AblationPanel::exportTable() {
    if (!m_result) return;
    const QString path = askSaveFile(this, tr("Export the ablation table"), QStringLiteral("ablation"), QStringLiteral("ablation.csv"),
                                     tr("CSV (*.csv)"));
    if (path.isEmpty()) return;
    const QByteArray bytes = predictionsCsv(*m_result).toUtf8();
    if (core::Status s = core::saveBytesAtomically(path, bytes); !s) Q_EMIT exportFailed(s.error().message);
}

}  // namespace attnscope::ui
