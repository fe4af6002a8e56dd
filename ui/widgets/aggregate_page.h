#pragma once

#include "session/view_state.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;

namespace attnscope::ui {

class AggregateView;

// The Aggregate tab: how the heads are combined (mean, max, rollout) and a layer slider to scrub
// through the layers (the rollout grows layer by layer), above the AggregateView.
class AggregatePage : public QWidget {
    Q_OBJECT

public:
    explicit AggregatePage(ViewState* state, QWidget* parent = nullptr);
    AggregateView* view() const { return m_view; }
    QSlider* layerSlider() const { return m_layer; }

private:
    void sync();

    ViewState* m_state;
    QComboBox* m_mode;
    QSlider* m_layer;
    QLabel* m_layerLabel;
    AggregateView* m_view;
};

}  // namespace attnscope::ui
