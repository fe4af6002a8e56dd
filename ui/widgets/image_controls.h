#pragma once

#include "session/view_state.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSlider;

namespace attnscope::ui {

// The image view's options bar: overlay (attention, rollout, DINO mask, every head), opacity,
// smooth or nearest upsampling, and the rollout's fusion and discard ratio or the mask's share.
// Reads and writes the ViewState's ImageOptions.
class ImageControls : public QWidget {
    Q_OBJECT

public:
    explicit ImageControls(ViewState* state, QWidget* parent = nullptr);

private:
    void sync();
    void push();

    ViewState* m_state;
    QComboBox* m_overlay;
    QSlider* m_opacity;
    QCheckBox* m_smooth;
    QCheckBox* m_tint;
    QLabel* m_fusionLabel;
    QComboBox* m_fusion;
    QLabel* m_discardLabel;
    QDoubleSpinBox* m_discard;
    QLabel* m_keepLabel;
    QDoubleSpinBox* m_keep;
    bool m_syncing = false;
};

}  // namespace attnscope::ui
