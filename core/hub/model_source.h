#pragma once

#include "hub/hub_download.h"

#include <QString>

#include <atomic>
#include <functional>
#include <optional>

namespace attnscope::core {

// Where a --model argument (CLI, the GUI's command line, a session file) leads: an existing path is
// a folder, as always; anything else is a Hub id, found in the cache first and downloaded only
// when it is missing and downloads are allowed (not HF_HUB_OFFLINE, allowDownload).
struct ModelSource {
    QString folder;              // the model folder (a cache snapshot for Hub ids)
    std::optional<RepoRef> hub;  // set when the argument was a Hub id
};

struct ModelSourceOptions {
    bool allowDownload = true;
    std::function<void(const HubPlan&)> planned;  // before a download starts (its size)
    std::function<void(const DownloadProgress&)> progress;
    const std::atomic<bool>* cancel = nullptr;
    HubClient::Options client;
};

Result<ModelSource> resolveModelSource(const QString& argument, const HubEnvironment& env, const ModelSourceOptions& options = {});

}  // namespace attnscope::core
