#pragma once

#include "session/analysis_result.h"

#include <QWidget>

namespace attnscope::ui {

// Masked-token or next-token top-k from the model's LM head, as bars with probabilities.
class PredictionsView : public QWidget {
    Q_OBJECT

public:
    explicit PredictionsView(QWidget* parent = nullptr);
    void setResult(AnalysisResultPtr result, bool hasHead);
    // The token singled out in the views (hovered or pinned), -1 for none.
    void setFocusToken(int token);
    QSize sizeHint() const override { return QSize(260, 300); }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    AnalysisResultPtr m_result;
    bool m_hasHead = false;
    int m_focus = -1;
};

}  // namespace attnscope::ui
