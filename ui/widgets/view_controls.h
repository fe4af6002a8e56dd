#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QSlider;
class QSpinBox;
class QToolButton;

namespace attnscope::ui {

class LayerSpinBox;
class ViewState;

// The row above the views: layer, head, which heads (one, their average, all), colours,
// threshold, log scale, hide the first token, the direction of the links. It edits the ViewState and follows its changes.
class ViewControls : public QWidget {
    Q_OBJECT

public:
    explicit ViewControls(ViewState* state, QWidget* parent = nullptr);
    void sync();  // the controls to the state (ranges included)

private:
    ViewState* m_state;
    LayerSpinBox* m_layer;
    QSpinBox* m_head;
    QComboBox* m_mode;
    QComboBox* m_colormap;
    QSlider* m_threshold;
    QCheckBox* m_log;
    QComboBox* m_weights = nullptr;
    QCheckBox* m_hideFirst;
    QToolButton* m_attendsTo;
    QToolButton* m_attendedBy;
};

}  // namespace attnscope::ui
