#include "widgets/view_tabs.h"

#include "widgets/aggregate_page.h"
#include "widgets/aggregate_view.h"
#include "widgets/compare_page.h"
#include "widgets/heatmap_view.h"
#include "widgets/image_controls.h"
#include "widgets/image_view.h"
#include "widgets/lens_view.h"
#include "widgets/links_view.h"
#include "widgets/model_grid_view.h"
#include "widgets/qk_space_page.h"
#include "widgets/qk_space_view.h"
#include "widgets/qkv_view.h"
#include "widgets/train_view.h"

#include <QVBoxLayout>

namespace attnscope::ui {
namespace {

// A tab's figure: the tab itself, or the figure of a page with controls above it (a direct
// child; the Train tab's preview heatmap is not its figure).
FigureView* figureOf(QWidget* tab) {
    if (!tab) return nullptr;
    if (auto* f = qobject_cast<FigureView*>(tab)) return f;
    return tab->findChild<FigureView*>(QString(), Qt::FindDirectChildrenOnly);
}

}  // namespace

ViewTabs::ViewTabs(ViewState* state, QWidget* parent) : QTabWidget(parent) {
    setObjectName(QStringLiteral("views"));
    m_links = new LinksView(state);
    m_heatmap = new HeatmapView(state);
    m_grid = new ModelGridView(state);
    m_qkv = new QkvView(state);
    m_imagePage = new QWidget;
    auto* imageLayout = new QVBoxLayout(m_imagePage);
    imageLayout->setContentsMargins(0, 0, 0, 0);
    imageLayout->addWidget(new ImageControls(state));
    m_image = new ImageView(state);
    imageLayout->addWidget(m_image, 1);
    addTab(m_imagePage, tr("Image"));
    setTabVisible(0, false);
    addTab(m_links, tr("Links"));
    addTab(m_heatmap, tr("Heatmap"));
    addTab(m_grid, tr("Model grid"));
    addTab(m_qkv, tr("Q/K/V step by step"));
    m_aggregate = new AggregatePage(state);
    addTab(m_aggregate, tr("Aggregate"));
    m_qkSpace = new QkSpacePage(state);
    addTab(m_qkSpace, tr("Query-key space"));
    m_lens = new LensView(state);
    addTab(m_lens, tr("Logit lens"));
    m_compare = new ComparePage(state);
    addTab(m_compare, tr("Compare"));
    m_train = new TrainView;
    addTab(m_train, tr("Train"));
    connect(m_grid, &ModelGridView::headActivated, this, [this] { setCurrentWidget(m_heatmap); });
}

void ViewTabs::setResult(const AnalysisResultPtr& result) {
    m_compare->setResult(result);
    for (FigureView* v : {static_cast<FigureView*>(m_links), static_cast<FigureView*>(m_heatmap), static_cast<FigureView*>(m_grid),
                          static_cast<FigureView*>(m_qkv), static_cast<FigureView*>(m_image), static_cast<FigureView*>(m_aggregate->view()),
                          static_cast<FigureView*>(m_lens), static_cast<FigureView*>(m_qkSpace->view())})
        v->setResult(result);
}

FigureView* ViewTabs::currentFigure() const { return figureOf(currentWidget()); }

bool ViewTabs::lensShown() const { return currentWidget() == m_lens; }

void ViewTabs::showView(const QString& name) {
    if (name == QLatin1String("train")) return setCurrentWidget(m_train);
    if (name == QLatin1String("image")) {
        if (m_imageMode) setCurrentWidget(m_imagePage);
        return;
    }
    for (int i = 0; i < count(); ++i)
        if (FigureView* f = figureOf(widget(i)); f && f->figureName() == name && isTabVisible(i)) {
            setCurrentIndex(i);
            return;
        }
}

void ViewTabs::setImageMode(bool on) {
    m_imageMode = on;
    setTabVisible(indexOf(m_imagePage), on);
    if (on) setCurrentWidget(m_imagePage);
    else if (currentWidget() == m_imagePage) setCurrentWidget(m_links);
}

}  // namespace attnscope::ui
