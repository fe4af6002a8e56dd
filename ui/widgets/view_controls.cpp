#include "widgets/view_controls.h"

#include "render/colormap.h"
#include "session/view_state.h"
#include "widgets/flow_layout.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>

#include "widgets/layer_spin_box.h"
#include <QToolButton>

namespace attnscope::ui {

ViewControls::ViewControls(ViewState* state, QWidget* parent) : QWidget(parent), m_state(state) {
    // Wraps onto a second row when the window is narrow (a projector in presentation type); a
    // label stays with its control.
    auto* controls = new FlowLayout(this, 14, 4);
    auto group = [&](std::initializer_list<QWidget*> widgets) {
        auto* box = new QWidget;
        auto* row = new QHBoxLayout(box);
        row->setContentsMargins(0, 0, 0, 0);
        for (QWidget* w : widgets) row->addWidget(w);
        controls->addWidget(box);
    };
    auto addLabeled = [&](const QString& label, QWidget* w) {
        auto* l = new QLabel(label);
        l->setBuddy(w);
        group({l, w});
    };
    m_layer = new LayerSpinBox;
    m_layer->setRange(0, 0);
    m_layer->setToolTip(tr("Layers count from 0, as in the exported arrays"));
    connect(m_layer, &QSpinBox::valueChanged, this, [this](int v) { m_state->setLayer(v); });
    addLabeled(tr("&Layer"), m_layer);
    m_head = new QSpinBox;
    m_head->setRange(0, 0);
    m_head->setToolTip(tr("Heads count from 0, as in the exported arrays"));
    connect(m_head, &QSpinBox::valueChanged, this, [this](int v) { m_state->setHead(v); });
    addLabeled(tr("&Head"), m_head);
    m_mode = new QComboBox;
    m_mode->addItems({tr("One head"), tr("Average of heads"), tr("All heads")});
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this](int i) { m_state->setHeadMode(HeadMode(i)); });
    addLabeled(tr("Sho&w"), m_mode);
    m_colormap = new QComboBox;
    m_colormap->addItems(Colormap::names());
    connect(m_colormap, &QComboBox::currentIndexChanged, this, [this](int i) { m_state->setColormap(ColormapId(i)); });
    addLabeled(tr("&Colours"), m_colormap);
    m_threshold = new QSlider(Qt::Horizontal);
    m_threshold->setRange(0, 100);
    m_threshold->setMaximumWidth(160);
    m_threshold->setToolTip(tr("Hide links whose weight is below the threshold"));
    connect(m_threshold, &QSlider::valueChanged, this, [this](int v) { m_state->setThreshold(v / 100.0f); });
    addLabeled(tr("&Threshold"), m_threshold);
    m_log = new QCheckBox(tr("L&og scale"));
    connect(m_log, &QCheckBox::toggled, m_state, &ViewState::setLogScale);
    m_hideFirst = new QCheckBox(tr("&Hide first token"));
    m_hideFirst->setToolTip(tr("Attention sinks: drop the first key (decoders park most weight on it) and renormalise each "
                               "row over the others. Figures say so in their title."));
    connect(m_hideFirst, &QCheckBox::toggled, m_state, &ViewState::setHideFirstToken);
    group({m_log, m_hideFirst});
    m_weights = new QComboBox;
    m_weights->addItems({tr("Attention weights"), tr("Value-weighted norms")});
    m_weights->setToolTip(tr("Value-weighted norms (Kobayashi et al. 2020): ||a_ij f(x_j)||, how much of token j's value vector "
                             "reaches i through the head, shown as shares of each row. Every view shows the choice."));
    connect(m_weights, &QComboBox::currentIndexChanged, this, [this](int i) { m_state->setValueWeighted(i == 1); });
    addLabeled(tr("&Weights"), m_weights);
    // Links: the pinned word's outgoing lines (what it attends to) or incoming ones (who attends to it).
    auto direction = [&](const QString& text, const QString& tip, LinkDirection d) {
        auto* b = new QToolButton;
        b->setText(text);
        b->setToolTip(tip);
        b->setCheckable(true);
        b->setAutoExclusive(true);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        connect(b, &QToolButton::toggled, this, [this, d](bool on) { if (on) m_state->setLinkDirection(d); });
        return b;
    };
    m_attendsTo = direction(tr("word → what it attends to"), tr("Links from the pinned or hovered word (a query, left) to the keys it attends to (right)"),
                            LinkDirection::AttendsTo);
    m_attendedBy = direction(tr("word ← what attends to it"), tr("Links into the pinned or hovered word (a key, right) from the queries that attend to it (left)"),
                             LinkDirection::AttendedBy);
    m_attendsTo->setChecked(true);
    group({new QLabel(tr("Links:")), m_attendsTo, m_attendedBy});
    connect(m_state, &ViewState::changed, this, &ViewControls::sync);
}

void ViewControls::sync() {
    const QSignalBlocker b1(m_layer), b2(m_head), b3(m_mode), b4(m_colormap), b5(m_threshold), b6(m_log), b7(m_hideFirst),
        b8(m_attendsTo), b9(m_attendedBy), b10(m_weights);
    m_weights->setCurrentIndex(m_state->valueWeighted() ? 1 : 0);
    const bool file = m_state->result() && m_state->result()->fromFile();
    m_weights->setEnabled(!file);
    if (file) m_weights->setCurrentIndex(0);
    std::vector<int> numbers;  // the model's own layer numbers: a trace may hold some layers only
    if (m_state->result() && m_state->result()->trace)
        for (int l = 0; l < m_state->result()->trace->layers(); ++l) numbers.push_back(m_state->result()->trace->layerNumber(l));
    m_layer->setLayerNumbers(numbers);
    m_layer->setRange(0, m_state->layers() - 1);
    m_layer->setValue(m_state->layer());
    m_head->setRange(0, m_state->heads() - 1);
    m_head->setValue(m_state->head());
    m_head->setEnabled(m_state->headMode() == HeadMode::Single);
    m_mode->setCurrentIndex(int(m_state->headMode()));
    m_colormap->setCurrentIndex(int(m_state->colormap()));
    m_threshold->setValue(int(m_state->threshold() * 100 + 0.5f));
    m_log->setChecked(m_state->logScale());
    m_hideFirst->setChecked(m_state->hideFirstToken());
    (m_state->linkDirection() == LinkDirection::AttendsTo ? m_attendsTo : m_attendedBy)->setChecked(true);
}

}  // namespace attnscope::ui
