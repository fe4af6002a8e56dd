#include "session/session_file.h"

#include "io/trace_export.h"
#include "hub/repo_ref.h"
#include "render/qkv_painter.h"
#include "util/input_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace attnscope::ui {
namespace {

const QStringList kModes{QStringLiteral("single"), QStringLiteral("average"), QStringLiteral("all")};
const QString kFormat = QStringLiteral("attnscope-session");
const QStringList kOverlays{QStringLiteral("attention"), QStringLiteral("rollout"), QStringLiteral("dino"), QStringLiteral("heads")};
const QStringList kFusions{QStringLiteral("mean"), QStringLiteral("max"), QStringLiteral("min")};

}  // namespace

void readViewState(const ViewState& state, SessionFile* s) {
    s->layer = state.layer();
    s->head = state.head();
    s->headMode = state.headMode();
    s->token = state.pinnedToken();
    s->colormap = state.colormap();
    s->logScale = state.logScale();
    s->hideFirstToken = state.hideFirstToken();
    s->threshold = state.threshold();
    s->linkDirection = state.linkDirection();
    s->hiddenHeads = state.hiddenHeads();
    s->valueWeighted = state.valueWeighted();
    s->ablated = state.ablated();
    s->image = state.imageOptions();
}

void applyViewState(const SessionFile& s, ViewState* state) {
    state->setHeadMode(s.headMode);
    state->setLayer(s.layer);
    state->setHead(s.head);
    state->setColormap(s.colormap);
    state->setLogScale(s.logScale);
    state->setHideFirstToken(s.hideFirstToken);
    state->setThreshold(s.threshold);
    state->setLinkDirection(s.linkDirection);
    state->setHiddenHeads(s.hiddenHeads);
    state->setValueWeighted(s.valueWeighted);
    state->setAblated(s.ablated);
    state->setPinnedToken(s.token);
    state->setImageOptions(s.image);
}

void saveViewSettings(const ViewState& state, QSettings* settings) {
    settings->setValue(QStringLiteral("view/colormap"), Colormap::name(state.colormap()));
    settings->setValue(QStringLiteral("view/logScale"), state.logScale());
    settings->setValue(QStringLiteral("view/threshold"), state.threshold());
    settings->setValue(QStringLiteral("view/headMode"), int(state.headMode()));
}

void restoreViewSettings(const QSettings& settings, ViewState* state) {
    ColormapId map = ColormapId::Viridis;
    if (Colormap::fromName(settings.value(QStringLiteral("view/colormap"), QStringLiteral("viridis")).toString(), &map))
        state->setColormap(map);
    state->setLogScale(settings.value(QStringLiteral("view/logScale"), false).toBool());
    state->setThreshold(settings.value(QStringLiteral("view/threshold"), 0.0).toFloat());
    state->setHeadMode(HeadMode(std::clamp(settings.value(QStringLiteral("view/headMode"), 0).toInt(), 0, 2)));
}

QByteArray sessionToJson(const SessionFile& s) {
    QJsonObject model{{s.modelFromHub ? "hub" : "path", s.modelPath}, {"name", s.modelName}, {"model_type", s.modelType}};
    QJsonObject o{{"format", kFormat},
                  {"version", SessionFile::kVersion},
                  {"model", model},
                  {"text", s.text},
                  {"view", s.view},
                  {"layer", s.layer},
                  {"head", s.head},
                  {"head_mode", kModes.at(int(s.headMode))},
                  {"token", s.token >= 0 ? QJsonValue(s.token) : QJsonValue()},
                  {"colormap", Colormap::name(s.colormap)},
                  {"log_scale", s.logScale},
                  {"hide_first_token", s.hideFirstToken},
                  {"threshold", double(s.threshold)},
                  {"links", s.linkDirection == LinkDirection::AttendsTo ? "attends_to" : "attended_by"},
                  {"qkv_step", s.qkvStep}};
    QJsonArray hidden;
    for (int h : s.hiddenHeads) hidden.append(h);
    o.insert(QStringLiteral("hidden_heads"), hidden);
    o.insert(QStringLiteral("weights"), s.valueWeighted ? QStringLiteral("value_norms") : QStringLiteral("attention"));
    QJsonArray ablated;
    for (const core::HeadRef& r : s.ablated) ablated.append(QJsonArray{r.layer, r.head});
    o.insert(QStringLiteral("ablated"), ablated);
    o.insert(QStringLiteral("image"), QJsonObject{{"path", s.imagePath.isEmpty() ? QJsonValue() : QJsonValue(s.imagePath)},
                                                  {"overlay", kOverlays.at(int(s.image.overlay))},
                                                  {"opacity", double(s.image.opacity)},
                                                  {"smooth", s.image.smooth},
                                                  {"style", s.image.spotlight ? "spotlight" : "tint"},
                                                  {"fusion", kFusions.at(int(s.image.fusion))},
                                                  {"discard", double(s.image.discard)},
                                                  {"keep", double(s.image.keep)}});
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

core::Result<SessionFile> sessionFromJson(const QByteArray& json) {
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return core::inputError(QStringLiteral("not an AttnScope session (not a JSON object)"));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != kFormat)
        return core::inputError(QStringLiteral("not an AttnScope session (no \"format\": \"%1\")").arg(kFormat));
    if (o.value(QStringLiteral("version")).toInt() > SessionFile::kVersion)
        return core::inputError(QStringLiteral("session version %1 is newer than this AttnScope understands").arg(o.value(QStringLiteral("version")).toInt()));
    SessionFile s;
    const QJsonObject model = o.value(QStringLiteral("model")).toObject();
    s.modelFromHub = model.contains(QStringLiteral("hub"));
    s.modelPath = model.value(s.modelFromHub ? QStringLiteral("hub") : QStringLiteral("path")).toString();
    if (s.modelFromHub)
        if (auto ref = core::parseRepoRef(s.modelPath); !ref) return ref.error();
    s.modelName = model.value(QStringLiteral("name")).toString();
    s.modelType = model.value(QStringLiteral("model_type")).toString();
    if (s.modelPath.isEmpty()) return core::inputError(QStringLiteral("the session names no model folder"));
    s.text = o.value(QStringLiteral("text")).toString();
    s.view = o.value(QStringLiteral("view")).toString(s.view);
    s.layer = std::max(0, o.value(QStringLiteral("layer")).toInt());
    s.head = std::max(0, o.value(QStringLiteral("head")).toInt());
    const int mode = kModes.indexOf(o.value(QStringLiteral("head_mode")).toString(QStringLiteral("single")));
    if (mode < 0) return core::inputError(QStringLiteral("unknown head_mode '%1'").arg(o.value(QStringLiteral("head_mode")).toString()));
    s.headMode = HeadMode(mode);
    s.token = o.value(QStringLiteral("token")).toInt(-1);
    if (!Colormap::fromName(o.value(QStringLiteral("colormap")).toString(QStringLiteral("viridis")), &s.colormap))
        return core::inputError(QStringLiteral("unknown colormap '%1'").arg(o.value(QStringLiteral("colormap")).toString()));
    s.logScale = o.value(QStringLiteral("log_scale")).toBool();
    s.hideFirstToken = o.value(QStringLiteral("hide_first_token")).toBool();
    s.threshold = float(std::clamp(o.value(QStringLiteral("threshold")).toDouble(), 0.0, 1.0));
    const QString links = o.value(QStringLiteral("links")).toString(QStringLiteral("attends_to"));
    if (links != QLatin1String("attends_to") && links != QLatin1String("attended_by"))
        return core::inputError(QStringLiteral("unknown links direction '%1' (attends_to, attended_by)").arg(links));
    s.linkDirection = links == QLatin1String("attends_to") ? LinkDirection::AttendsTo : LinkDirection::AttendedBy;
    const QJsonValue hidden = o.value(QStringLiteral("hidden_heads"));
    if (!hidden.isUndefined() && !hidden.isArray()) return core::inputError(QStringLiteral("hidden_heads must be a list of head numbers"));
    for (const QJsonValue& h : hidden.toArray()) {
        if (!h.isDouble() || h.toDouble() < 0 || h.toDouble() > 4096 || h.toDouble() != std::floor(h.toDouble()))
            return core::inputError(QStringLiteral("hidden_heads must be a list of head numbers"));
        s.hiddenHeads << h.toInt();
    }
    const QString weights = o.value(QStringLiteral("weights")).toString(QStringLiteral("attention"));
    if (weights != QLatin1String("attention") && weights != QLatin1String("value_norms"))
        return core::inputError(QStringLiteral("unknown weights '%1' (attention, value_norms)").arg(weights.left(40)));
    s.valueWeighted = weights == QLatin1String("value_norms");
    const QJsonValue ablated = o.value(QStringLiteral("ablated"));
    const QString ablatedError = QStringLiteral("ablated must be a list of [layer, head] pairs");
    if (!ablated.isUndefined() && !ablated.isArray()) return core::inputError(ablatedError);
    if (ablated.toArray().size() > 65536) return core::inputError(ablatedError);
    auto index = [](const QJsonValue& v) { return v.isDouble() && v.toDouble() >= 0 && v.toDouble() <= 4096 && v.toDouble() == std::floor(v.toDouble()); };
    for (const QJsonValue& pair : ablated.toArray()) {
        const QJsonArray a = pair.toArray();
        if (!pair.isArray() || a.size() != 2 || !index(a[0]) || !index(a[1])) return core::inputError(ablatedError);
        s.ablated.push_back({a[0].toInt(), a[1].toInt()});
    }
    s.qkvStep = std::clamp(o.value(QStringLiteral("qkv_step")).toInt(kQkvMaxSteps - 1), 0, kQkvMaxSteps - 1);
    const QJsonObject image = o.value(QStringLiteral("image")).toObject();
    s.imagePath = image.value(QStringLiteral("path")).toString();
    const int overlay = kOverlays.indexOf(image.value(QStringLiteral("overlay")).toString(QStringLiteral("attention")));
    const int fusion = kFusions.indexOf(image.value(QStringLiteral("fusion")).toString(QStringLiteral("mean")));
    if (overlay < 0) return core::inputError(QStringLiteral("unknown image overlay '%1'").arg(image.value(QStringLiteral("overlay")).toString()));
    if (fusion < 0) return core::inputError(QStringLiteral("unknown rollout fusion '%1'").arg(image.value(QStringLiteral("fusion")).toString()));
    s.image.overlay = ImageOverlay(overlay);
    s.image.fusion = core::HeadFusion(fusion);
    s.image.opacity = float(std::clamp(image.value(QStringLiteral("opacity")).toDouble(0.6), 0.0, 1.0));
    s.image.smooth = image.value(QStringLiteral("smooth")).toBool(true);
    const QString style = image.value(QStringLiteral("style")).toString(QStringLiteral("spotlight"));
    if (style != QLatin1String("spotlight") && style != QLatin1String("tint"))
        return core::inputError(QStringLiteral("unknown image style '%1' (spotlight, tint)").arg(style));
    s.image.spotlight = style == QLatin1String("spotlight");
    s.image.discard = float(std::clamp(image.value(QStringLiteral("discard")).toDouble(0.0), 0.0, 0.99));
    s.image.keep = float(std::clamp(image.value(QStringLiteral("keep")).toDouble(0.6), 0.01, 1.0));
    return s;
}

core::Status saveSession(const QString& path, const SessionFile& session) {
    return core::saveAtomically(path, [&](QIODevice& out) {
        const QByteArray json = sessionToJson(session);
        if (out.write(json) != json.size()) return core::Status(core::internalError(QStringLiteral("cannot write the session")));
        return core::Status();
    });
}

core::Result<SessionFile> loadSession(const QString& path) {
    auto bytes = core::readInputFile(path, core::kMaxSessionBytes);
    if (!bytes) return bytes.error();
    auto s = sessionFromJson(*bytes);
    if (!s) return core::inputError(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), s.message()));
    // A relative model path is relative to the session file; a Hub id stays an id.
    if (!s->modelFromHub && QFileInfo(s->modelPath).isRelative()) s->modelPath = QFileInfo(path).dir().filePath(s->modelPath);
    return s;
}

}  // namespace attnscope::ui
