#pragma once

#include "analysis/rollout.h"
#include "session/analysis_result.h"
#include "render/colormap.h"

#include <QObject>

namespace attnscope::ui {

// How the heads of a layer are shown.
enum class HeadMode { Single, Average, All };

// Which lines the links view draws for the token singled out: those it sends as a query (what it
// attends to, on the right) or those it receives as a key (who attends to it, on the left).
enum class LinkDirection { AttendsTo, AttendedBy };

// The aggregate view: one layer's heads fused by their mean or maximum, or the attention rollout
// (Abnar & Zuidema 2020) through that layer.
enum class AggregateMode { Mean, Max, Rollout };

// How the query-key space view projects a head's queries and keys to 2-D.
enum class QkProjection { Pca, Tsne };

// What the image view lays over the picture: one head's (or the heads' mean) attention from the
// focus token ([CLS] when none), the rollout, a DINO-style mask, or every head's map at once.
enum class ImageOverlay { Attention, Rollout, Dino, Heads };

struct ImageOptions {
    // Rollout first: it finds the object in every shipped example (a single head misses some).
    ImageOverlay overlay = ImageOverlay::Rollout;
    // Spotlight: what is not attended is darkened, so the picture keeps its colours (a yellow
    // triangle stays yellow); else a colour map tints it.
    bool spotlight = true;
    float opacity = 0.6f;        // of the overlay, 0..1
    bool smooth = true;          // bilinear upsampling of the patch map (else nearest: one block per patch)
    core::HeadFusion fusion = core::HeadFusion::Mean;  // rollout
    float discard = 0.0f;        // rollout: the lowest fraction of weights dropped, 0..0.99
    float keep = 0.6f;           // DINO: the share of [CLS] mass the kept patches hold, 0..1

    bool operator==(const ImageOptions& o) const {
        return overlay == o.overlay && spotlight == o.spotlight && opacity == o.opacity && smooth == o.smooth && fusion == o.fusion && discard == o.discard &&
               keep == o.keep;
    }
    bool operator!=(const ImageOptions& o) const { return !(*this == o); }
};

// What the user is looking at: the document every view reads and writes (like Tiled's
// MapDocument). Setters emit changed() only when something changed.
class ViewState : public QObject {
    Q_OBJECT

public:
    explicit ViewState(QObject* parent = nullptr) : QObject(parent) {}

    int layer() const { return m_layer; }
    int head() const { return m_head; }
    HeadMode headMode() const { return m_headMode; }
    int hoveredToken() const { return m_hovered; }
    int pinnedToken() const { return m_pinned; }
    // The token the views single out: the pinned one, else the hovered one, else -1.
    int focusToken() const { return m_pinned >= 0 ? m_pinned : m_hovered; }
    ColormapId colormap() const { return m_colormap; }
    float threshold() const { return m_threshold; }
    bool logScale() const { return m_logScale; }
    const ImageOptions& imageOptions() const { return m_image; }
    // Attention sinks: the views drop the first key and renormalise each row (labelled as such).
    bool hideFirstToken() const { return m_hideFirst; }
    LinkDirection linkDirection() const { return m_direction; }
    // "All heads": the heads switched off in the links view's legend (sorted head numbers).
    const QList<int>& hiddenHeads() const { return m_hiddenHeads; }
    bool isHeadShown(int head) const { return !m_hiddenHeads.contains(head); }
    // The analysis shown: set by the window; the limits follow it, the pin follows its word through
    // an edit (followPinnedToken) and the hover is dropped.
    const AnalysisResultPtr& result() const { return m_result; }
    void setResult(AnalysisResultPtr result);

    // Clamped to the model's sizes (set by setLimits).
    void setLayer(int layer);
    void setHead(int head);
    void setHeadMode(HeadMode mode);
    void setHoveredToken(int token);
    void setPinnedToken(int token);  // -1 unpins
    void togglePinnedToken(int token);
    void setColormap(ColormapId map);
    void setThreshold(float threshold);
    void setLogScale(bool on);
    void setHideFirstToken(bool on);
    void setLinkDirection(LinkDirection direction);
    void setHiddenHeads(QList<int> heads);  // kept to the model's heads, sorted, once each
    void toggleHead(int head);
    // Shows `head` alone; when it already is alone, shows every head again (BertViz's double-click).
    void soloHead(int head);
    void setImageOptions(const ImageOptions& options);  // clamped
    // What the analysis itself runs with (the window passes it to the session; saved in sessions):
    // value-weighted norms instead of attention weights in every view, and heads switched off.
    QkProjection qkProjection() const { return m_qkProjection; }
    void setQkProjection(QkProjection projection);
    AggregateMode aggregate() const { return m_aggregate; }
    void setAggregate(AggregateMode mode);
    bool valueWeighted() const { return m_valueWeighted; }
    void setValueWeighted(bool on);
    const std::vector<core::HeadRef>& ablated() const { return m_ablated; }
    bool isAblated(int layer, int head) const;
    void setAblated(std::vector<core::HeadRef> heads);  // kept to the model's sizes, sorted, once each
    void toggleAblated(int layer, int head);
    void setLimits(int layers, int heads, int tokens);
    int layers() const { return m_layers; }
    int heads() const { return m_heads; }
    int tokens() const { return m_tokens; }

Q_SIGNALS:
    void changed();
    void focusChanged();  // hover or pin only (cheap repaint)
    void settingsChanged();  // valueWeighted or ablated: the input must be analysed again

private:
    int m_layer = 0;
    int m_head = 0;
    HeadMode m_headMode = HeadMode::Single;
    int m_hovered = -1;
    int m_pinned = -1;
    ColormapId m_colormap = ColormapId::Viridis;
    float m_threshold = 0.0f;
    bool m_logScale = false;
    bool m_hideFirst = false;
    LinkDirection m_direction = LinkDirection::AttendsTo;
    QList<int> m_hiddenHeads;
    bool m_valueWeighted = false;
    AggregateMode m_aggregate = AggregateMode::Mean;
    QkProjection m_qkProjection = QkProjection::Pca;
    std::vector<core::HeadRef> m_ablated;
    AnalysisResultPtr m_result;
    ImageOptions m_image;
    int m_layers = 1, m_heads = 1, m_tokens = 0;
};

}  // namespace attnscope::ui
