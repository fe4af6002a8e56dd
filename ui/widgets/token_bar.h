#pragma once

#include "session/analysis_result.h"
#include "session/view_state.h"

#include <QFont>
#include <QWidget>

#include <vector>

namespace attnscope::ui {

// Chip rectangles for labels flowed into rows of the given width (pure layout, tested).
std::vector<QRectF> chipLayout(const QStringList& labels, const QFont& font, double width);

// "#3  typed “Zürich”  token [UNK]  (id 100, characters 4–10)": every token's typed text beside
// its vocabulary string.
QString tokenToolTip(const AnalysisResult& result, int token);

// The tokens as chips: sub-word pieces visible, special tokens styled apart, [UNK] flagged.
// Hover highlights a token everywhere; click pins it.
class TokenBar : public QWidget {
    Q_OBJECT

public:
    TokenBar(ViewState* state, QWidget* parent = nullptr);
    void setResult(AnalysisResultPtr result);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return QSize(100, 30); }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    int tokenAt(const QPointF& pos) const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

    // What chip i shows: the typed text, and for an unknown piece the token beside it ("Zürich · [UNK]").
    QString chipText(int i) const;

private:
    bool isUnknown(int i) const;
    QStringList chipTexts() const;

    ViewState* m_state;
    AnalysisResultPtr m_result;
    std::vector<QRectF> m_chips;
};

}  // namespace attnscope::ui
