#include "widgets/image_controls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include "widgets/flow_layout.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>

#include <cmath>

namespace attnscope::ui {

ImageControls::ImageControls(ViewState* state, QWidget* parent) : QWidget(parent), m_state(state) {
    auto* row = new FlowLayout(this, 8, 4);  // wraps on a narrow screen
    row->setContentsMargins(8, 4, 8, 0);
    m_overlay = new QComboBox;
    m_overlay->addItems({tr("Attention from a patch ([CLS] unless pinned)"), tr("Rollout from [CLS]"), tr("DINO mask"), tr("Every head")});
    m_overlay->setObjectName(QStringLiteral("imageOverlay"));
    m_opacity = new QSlider(Qt::Horizontal);
    m_opacity->setRange(0, 100);
    m_opacity->setFixedWidth(120);
    m_opacity->setObjectName(QStringLiteral("imageOpacity"));
    m_opacity->setToolTip(tr("Opacity of the overlay"));
    m_smooth = new QCheckBox(tr("Smooth"));
    m_smooth->setToolTip(tr("Smooth (bilinear) or nearest upsampling of the patch map"));
    m_tint = new QCheckBox(tr("Tint"));
    m_tint->setObjectName(QStringLiteral("imageTint"));
    m_tint->setToolTip(tr("Colour the attention with the colour map (this changes the picture's colours); "
                          "off: darken what is not attended and keep the picture as it is"));
    m_fusion = new QComboBox;
    m_fusion->addItems({tr("mean"), tr("max"), tr("min")});
    m_fusion->setToolTip(tr("How the heads of a layer are fused before rolling out"));
    m_discard = new QDoubleSpinBox;
    m_discard->setRange(0, 0.99);
    m_discard->setSingleStep(0.05);
    m_discard->setToolTip(tr("Share of the lowest attention weights dropped in each layer ([CLS] is never dropped)"));
    m_keep = new QDoubleSpinBox;
    m_keep->setRange(0.05, 1.0);
    m_keep->setSingleStep(0.05);
    m_keep->setToolTip(tr("Keep the patches that hold this share of the [CLS] attention (layer and head from the selectors)"));
    m_fusionLabel = new QLabel(tr("Fusion"));
    m_discardLabel = new QLabel(tr("Discard"));
    m_keepLabel = new QLabel(tr("Keep"));
    row->addWidget(new QLabel(tr("Overlay")));
    row->addWidget(m_overlay);
    row->addWidget(new QLabel(tr("Opacity")));
    row->addWidget(m_opacity);
    row->addWidget(m_smooth);
    row->addWidget(m_tint);
    for (QWidget* w : {static_cast<QWidget*>(m_fusionLabel), static_cast<QWidget*>(m_fusion), static_cast<QWidget*>(m_discardLabel),
                       static_cast<QWidget*>(m_discard), static_cast<QWidget*>(m_keepLabel), static_cast<QWidget*>(m_keep)})
        row->addWidget(w);

    connect(m_overlay, qOverload<int>(&QComboBox::currentIndexChanged), this, &ImageControls::push);
    connect(m_opacity, &QSlider::valueChanged, this, &ImageControls::push);
    connect(m_smooth, &QCheckBox::toggled, this, &ImageControls::push);
    connect(m_tint, &QCheckBox::toggled, this, &ImageControls::push);
    connect(m_fusion, qOverload<int>(&QComboBox::currentIndexChanged), this, &ImageControls::push);
    connect(m_discard, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &ImageControls::push);
    connect(m_keep, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &ImageControls::push);
    connect(state, &ViewState::changed, this, &ImageControls::sync);
    sync();
}

void ImageControls::sync() {
    m_syncing = true;
    const ImageOptions& o = m_state->imageOptions();
    m_overlay->setCurrentIndex(int(o.overlay));
    m_opacity->setValue(int(std::lround(o.opacity * 100)));
    m_smooth->setChecked(o.smooth);
    m_tint->setChecked(!o.spotlight);
    m_fusion->setCurrentIndex(int(o.fusion));
    m_discard->setValue(double(o.discard));
    m_keep->setValue(double(o.keep));
    const bool rollout = o.overlay == ImageOverlay::Rollout, dino = o.overlay == ImageOverlay::Dino;
    m_fusionLabel->setVisible(rollout);
    m_fusion->setVisible(rollout);
    m_discardLabel->setVisible(rollout);
    m_discard->setVisible(rollout);
    m_keepLabel->setVisible(dino);
    m_keep->setVisible(dino);
    m_syncing = false;
}

void ImageControls::push() {
    if (m_syncing) return;
    ImageOptions o = m_state->imageOptions();
    o.overlay = ImageOverlay(m_overlay->currentIndex());
    o.opacity = float(m_opacity->value()) / 100.0f;
    o.smooth = m_smooth->isChecked();
    o.spotlight = !m_tint->isChecked();
    o.fusion = core::HeadFusion(m_fusion->currentIndex());
    o.discard = float(m_discard->value());
    o.keep = float(m_keep->value());
    m_state->setImageOptions(o);
}

}  // namespace attnscope::ui
