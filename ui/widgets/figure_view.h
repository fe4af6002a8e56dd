#pragma once

#include "render/view_specs.h"
#include "session/analysis_result.h"
#include "session/view_state.h"

#include <QWidget>

namespace attnscope::ui {

// A view whose picture is drawn by a painter function shared with export: paintFigure() draws
// into any QPainter (the screen, a PNG, an SVG or a PDF).
class FigureView : public QWidget {
    Q_OBJECT

public:
    explicit FigureView(ViewState* state, QWidget* parent = nullptr);

    void setResult(AnalysisResultPtr result);
    AnalysisResultPtr result() const { return m_result; }
    ViewState* state() const { return m_state; }
    void setStyle(const FigureStyle& style);
    const FigureStyle& figureStyle() const { return m_style; }

    // Draws the figure for `style` into rect. Does nothing without a result.
    virtual void paintFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const = 0;
    // A good size for export, in points.
    virtual QSizeF preferredFigureSize() const;
    // Whether there is something to draw (else the placeholder shows).
    virtual bool hasFigure() const { return m_result && m_result->trace && unavailable().isEmpty(); }
    // Why this view cannot be drawn from the result (a trace file lacking what it needs), or empty.
    QString unavailable() const;
    virtual QString figureName() const = 0;  // "heatmap", "links", "grid"

protected:
    void paintEvent(QPaintEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;      // font and palette follow the app (presentation, dark)
    void keyPressEvent(QKeyEvent* event) override;  // arrows: head (left/right), layer (up/down)
    virtual void resultChanged() {}
    // What the view says while it has nothing to draw.
    virtual QString placeholder() const { return tr("Type a sentence above: its attention appears here as you type."); }
    QRectF figureRect() const { return QRectF(rect()).adjusted(8, 8, -8, -8); }

    ViewState* m_state;
    AnalysisResultPtr m_result;
    FigureStyle m_style;
};

}  // namespace attnscope::ui
