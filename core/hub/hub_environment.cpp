#include "hub/hub_environment.h"

#include "util/input_file.h"

#include <QDir>
#include <QUrl>

namespace attnscope::core {
namespace {

QString variable(const char* name) { return qEnvironmentVariable(name); }

bool truthy(const QString& value) {
    const QString v = value.trimmed().toLower();
    return v == QLatin1String("1") || v == QLatin1String("true") || v == QLatin1String("yes") || v == QLatin1String("on");
}

}  // namespace

HubEnvironment HubEnvironment::fromSystem() {
    HubEnvironment env;
    env.endpoint = variable("HF_ENDPOINT").trimmed();
    if (env.endpoint.isEmpty()) env.endpoint = QStringLiteral("https://huggingface.co");
    while (env.endpoint.endsWith(QLatin1Char('/'))) env.endpoint.chop(1);
    QString home = variable("HF_HOME");
    if (home.isEmpty()) {
        const QString xdg = variable("XDG_CACHE_HOME");
        home = (xdg.isEmpty() ? QDir::homePath() + QStringLiteral("/.cache") : xdg) + QStringLiteral("/huggingface");
    }
    env.cacheDir = variable("HF_HUB_CACHE");
    if (env.cacheDir.isEmpty()) env.cacheDir = home + QStringLiteral("/hub");
    env.token = variable("HF_TOKEN").trimmed();
    if (env.token.isEmpty()) {
        auto file = readInputFile(home + QStringLiteral("/token"), 64 * 1024);
        if (file) env.token = QString::fromUtf8(*file).trimmed();
    }
    env.offline = truthy(variable("HF_HUB_OFFLINE"));
    return env;
}

QString HubEnvironment::endpointHost() const { return QUrl(endpoint).host(); }

}  // namespace attnscope::core
