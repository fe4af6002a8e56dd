#include "widgets/aggregate_page.h"

#include "widgets/aggregate_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

namespace attnscope::ui {

AggregatePage::AggregatePage(ViewState* state, QWidget* parent) : QWidget(parent), m_state(state) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    m_mode = new QComboBox;
    m_mode->addItems({tr("Mean of the layer's heads"), tr("Max over the layer's heads"), tr("Rollout through the layer")});
    m_mode->setToolTip(tr("Rollout (Abnar & Zuidema 2020): the product of each layer's (mean of heads + identity) / 2 up to "
                          "this layer: how far information from each token has mixed into each position"));
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this](int i) { m_state->setAggregate(AggregateMode(i)); });
    auto* label = new QLabel(tr("&Combine"));
    label->setBuddy(m_mode);
    m_layer = new QSlider(Qt::Horizontal);
    m_layer->setRange(0, 0);
    m_layer->setPageStep(1);
    m_layer->setTickPosition(QSlider::TicksBelow);
    m_layer->setToolTip(tr("Scrub through the layers"));
    connect(m_layer, &QSlider::valueChanged, this, [this](int v) { m_state->setLayer(v); });
    m_layerLabel = new QLabel;
    row->addWidget(label);
    row->addWidget(m_mode);
    row->addSpacing(16);
    row->addWidget(new QLabel(tr("Layer")));
    row->addWidget(m_layer, 1);
    row->addWidget(m_layerLabel);
    layout->addLayout(row);
    m_view = new AggregateView(state);
    layout->addWidget(m_view, 1);
    connect(m_state, &ViewState::changed, this, &AggregatePage::sync);
    sync();
}

void AggregatePage::sync() {
    const QSignalBlocker b1(m_mode), b2(m_layer);
    m_mode->setCurrentIndex(int(m_state->aggregate()));
    m_layer->setRange(0, m_state->layers() - 1);
    m_layer->setValue(m_state->layer());
    m_layerLabel->setText(tr("%1 of %2").arg(m_state->layer()).arg(m_state->layers() - 1));
}

}  // namespace attnscope::ui
