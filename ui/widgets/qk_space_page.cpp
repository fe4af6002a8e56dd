#include "widgets/qk_space_page.h"

#include "widgets/qk_space_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace attnscope::ui {

QkSpacePage::QkSpacePage(ViewState* state, QWidget* parent) : QWidget(parent), m_state(state) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    m_method = new QComboBox;
    m_method->addItems({tr("PCA (the two directions of largest variance)"), tr("t-SNE (neighbourhoods; up to 1,000 tokens)")});
    connect(m_method, &QComboBox::currentIndexChanged, this, [this](int i) { m_state->setQkProjection(QkProjection(i)); });
    auto* label = new QLabel(tr("&Projection"));
    label->setBuddy(m_method);
    row->addWidget(label);
    row->addWidget(m_method);
    row->addStretch();
    layout->addLayout(row);
    m_view = new QkSpaceView(state);
    layout->addWidget(m_view, 1);
    connect(m_state, &ViewState::changed, this, [this] {
        const QSignalBlocker block(m_method);
        m_method->setCurrentIndex(int(m_state->qkProjection()));
    });
}

}  // namespace attnscope::ui
