#pragma once

#include "session/analysis_result.h"
#include "session/view_state.h"

#include <QTabWidget>

namespace attnscope::ui {

class AggregatePage;
class ComparePage;
class FigureView;
class HeatmapView;
class ImageView;
class LensView;
class LinksView;
class ModelGridView;
class QkSpacePage;
class QkvView;
class TrainView;

// The window's views as tabs: Image (image models only), Links, Heatmap, Model grid, Q/K/V,
// Aggregate, Query-key space, Logit lens, Compare and Train. All observe the one ViewState.
class ViewTabs : public QTabWidget {
    Q_OBJECT

public:
    explicit ViewTabs(ViewState* state, QWidget* parent = nullptr);

    // Every figure (and Compare's input A) gets the new analysis.
    void setResult(const AnalysisResultPtr& result);
    // The figure of the tab shown (a page's own figure; none for Train).
    FigureView* currentFigure() const;
    // "links", "heatmap", "grid", "qkv", "aggregate", "qkspace", "lens", "compare", "image", "train".
    void showView(const QString& name);
    // Image models: the Image tab appears (and is shown); text models: it goes.
    void setImageMode(bool on);
    bool lensShown() const;

    LinksView* links() const { return m_links; }
    HeatmapView* heatmap() const { return m_heatmap; }
    ModelGridView* grid() const { return m_grid; }
    QkvView* qkv() const { return m_qkv; }
    ImageView* image() const { return m_image; }
    QWidget* imagePage() const { return m_imagePage; }
    AggregatePage* aggregate() const { return m_aggregate; }
    QkSpacePage* qkSpace() const { return m_qkSpace; }
    LensView* lens() const { return m_lens; }
    ComparePage* compare() const { return m_compare; }
    TrainView* train() const { return m_train; }

private:
    bool m_imageMode = false;
    LinksView* m_links;
    HeatmapView* m_heatmap;
    ModelGridView* m_grid;
    QkvView* m_qkv;
    QWidget* m_imagePage;
    ImageView* m_image;
    AggregatePage* m_aggregate;
    QkSpacePage* m_qkSpace;
    LensView* m_lens;
    ComparePage* m_compare;
    TrainView* m_train;
};

}  // namespace attnscope::ui
