#pragma once

#include "session/view_state.h"
#include "util/result.h"

#include <QSettings>
#include <QString>

#include <optional>

namespace attnscope::ui {

// A saved view (.attnscope, JSON): model, input and selection, enough to rebuild a figure exactly.
struct SessionFile {
    QString modelPath;
    QString modelName;
    QString modelType;
    QString text;
    QString view = QStringLiteral("heatmap");  // links, heatmap, grid, qkv, image
    int layer = 0;
    int head = 0;
    HeadMode headMode = HeadMode::Single;
    int token = -1;  // pinned token, -1 for none
    ColormapId colormap = ColormapId::Viridis;
    bool logScale = false;
    bool hideFirstToken = false;
    float threshold = 0;
    LinkDirection linkDirection = LinkDirection::AttendsTo;
    QList<int> hiddenHeads;  // "All heads": heads switched off in the legend
    bool valueWeighted = false;           // "weights": "value_norms" (else "attention")
    std::vector<core::HeadRef> ablated;   // "ablated": [[layer, head], ...] switched off in the analysis
    bool modelFromHub = false;  // modelPath is a Hub id (saved as "hub", opened from the cache)
    int qkvStep = 10;  // the step's place among the model's Q/K/V steps (clamped to the last)
    QString imagePath;      // image models: the picture (empty for text)
    ImageOptions image;     // the image view's overlay options

    static constexpr int kVersion = 1;
};

// The view state's part of a session (selection, pin, colours, links, heads shown and ablated,
// image overlay): copied from the state, and set on it (the state clamps to its model's limits).
void readViewState(const ViewState& state, SessionFile* session);
void applyViewState(const SessionFile& session, ViewState* state);
// The view options kept between runs of the app (colour map, log scale, threshold, head mode),
// under "view/" in the settings (an unknown colour map leaves the state's; a head mode is clamped).
void saveViewSettings(const ViewState& state, QSettings* settings);
void restoreViewSettings(const QSettings& settings, ViewState* state);

QByteArray sessionToJson(const SessionFile& session);
core::Result<SessionFile> sessionFromJson(const QByteArray& json);
core::Status saveSession(const QString& path, const SessionFile& session);
core::Result<SessionFile> loadSession(const QString& path);

}  // namespace attnscope::ui
