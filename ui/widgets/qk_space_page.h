#pragma once

#include "session/view_state.h"

#include <QWidget>

class QComboBox;

namespace attnscope::ui {

class QkSpaceView;

// The Query-key space tab: the projection (PCA or t-SNE) above the QkSpaceView.
class QkSpacePage : public QWidget {
    Q_OBJECT

public:
    explicit QkSpacePage(ViewState* state, QWidget* parent = nullptr);
    QkSpaceView* view() const { return m_view; }

private:
    ViewState* m_state;
    QComboBox* m_method;
    QkSpaceView* m_view;
};

}  // namespace attnscope::ui
