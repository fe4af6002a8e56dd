#pragma once

#include "session/analysis_result.h"
#include "session/view_state.h"

#include <QFont>
#include <QWidget>

#include <vector>

class QScrollBar;

namespace attnscope::ui {

// Chip rectangles for labels flowed into rows of the given width (pure layout, tested).
std::vector<QRectF> chipLayout(const QStringList& labels, const QFont& font, double width);
// The same chips on one line, however long (the strip of a long text, scrolled sideways).
std::vector<QRectF> chipLine(const QStringList& labels, const QFont& font);

// A chip's colours in a palette (light, dark, presentation): text always readable on its fill.
struct ChipColors {
    QColor fill, border, text;
};
ChipColors chipColors(const QPalette& palette, bool special, bool unknown, bool focus);

// "#3  typed “Zürich”  token [UNK]  (id 100, characters 4–10)": every token's typed text beside
// its vocabulary string.
QString tokenToolTip(const AnalysisResult& result, int token);

// The tokens as chips: sub-word pieces visible, special tokens styled apart, [UNK] flagged.
// Hover highlights a token everywhere; click pins it. Up to three rows of chips wrap; a longer
// text (hundreds of tokens) becomes one line scrolled sideways (scroll bar, wheel, the pinned
// chip kept in view), so the strip never takes the window.
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
    // One scrolled line (a long text) rather than wrapped rows.
    bool isOneLine() const { return m_oneLine; }
    int scrollOffset() const;
    // Scrolls the line so chip `token` is in view (no-op when wrapped).
    void ensureVisible(int token);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

    // What chip i shows: the typed text, and for an unknown piece the token beside it ("Zürich · [UNK]").
    QString chipText(int i) const;

private:
    bool isUnknown(int i) const;
    QStringList chipTexts() const;
    void relayout();
    // (chips, one line?) for a width: wrapped when they fit in kMaxRows rows.
    std::pair<std::vector<QRectF>, bool> layoutFor(int width) const;

    ViewState* m_state;
    AnalysisResultPtr m_result;
    std::vector<QRectF> m_chips;  // in strip coordinates: add the scroll offset for the widget's
    bool m_oneLine = false;
    int m_shownPin = -1;
    QScrollBar* m_scroll = nullptr;
};

}  // namespace attnscope::ui
