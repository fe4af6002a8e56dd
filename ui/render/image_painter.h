#pragma once

#include "render/colormap.h"
#include "session/view_state.h"
#include "trace/attention_trace.h"

#include <QFont>
#include <QImage>
#include <QPainter>
#include <QRectF>
#include <QStringList>

#include <vector>

namespace attnscope::ui {

// The image view: the picture with its patch grid and, over it, a patch map (attention from one
// token, the rollout), a DINO-style mask, or one small map per layer x head.
struct ImageSpec {
    const QImage* picture = nullptr;  // as decoded (any size; the model saw it resized to a square)
    int grid = 0;                     // patches per side
    ImageOverlay overlay = ImageOverlay::Attention;
    std::vector<float> map;           // (grid * grid) in [0, 1]: Attention, Rollout
    QStringList ticks;                // colour bar labels, low to high
    std::vector<uint8_t> mask;        // (grid * grid): Dino, 1 = kept
    const core::AttentionTrace* trace = nullptr;  // Heads
    int query = 0;                    // Heads: the token whose rows are shown
    int selectedLayer = -1, selectedHead = -1;  // Heads: outlined
    int focusPatch = -1;              // outlined patch (0-based over the patches)
    float opacity = 0.6f;
    bool smooth = true;
    bool spotlight = true;            // darken what is not attended instead of tinting
    Colormap colormap;
    QString title;
    QString caption;                  // under the title (e.g. the classifier's top labels)
    QFont font;
    QColor textColor = Qt::black;
};

struct ImageLayout {
    QRectF titleRect, captionRect;
    QRectF picture;   // Attention, Rollout, Dino
    QRectF colorbar;  // empty for Dino and Heads
    // Heads:
    QRectF cells;
    double cell = 0, gap = 0;
    int layers = 0, heads = 0;
    QRectF thumbnail(int layer, int head) const {
        return QRectF(cells.left() + head * (cell + gap), cells.top() + layer * (cell + gap), cell, cell);
    }
};

ImageLayout imageLayout(const QRectF& rect, const ImageSpec& spec);
// The patch under a point of the picture (0-based over the patches), or -1.
int patchAt(const ImageLayout& layout, const ImageSpec& spec, const QPointF& point);
// The (layer, head) thumbnail under a point in Heads mode, or (-1, -1).
std::pair<int, int> headAt(const ImageLayout& layout, const QPointF& point);

void paintImageFigure(QPainter& painter, const QRectF& rect, const ImageSpec& spec);

// A (grid x grid) ARGB image of the map in the colour map, with alpha = opacity (upsampled by the painter).
QImage overlayImage(const std::vector<float>& map, int grid, const Colormap& colormap, float opacity);
// The spotlight: black over each value, as opaque as the value is low (the picture's colours kept).
QImage spotlightImage(const std::vector<float>& map, int grid, float opacity);

}  // namespace attnscope::ui
