#pragma once

#include <QString>

namespace attnscope::core {

// Where the Hugging Face Hub is and how to use it, from the variables huggingface_hub reads, so
// AttnScope and Python share one cache and one login.
struct HubEnvironment {
    QString endpoint;  // HF_ENDPOINT, else https://huggingface.co (no trailing slash)
    QString cacheDir;  // HF_HUB_CACHE, else $HF_HOME/hub; HF_HOME: else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface
    QString token;     // HF_TOKEN, else the file $HF_HOME/token (trimmed); never printed
    bool offline = false;  // HF_HUB_OFFLINE: 1, true, yes or on (any case): the cache only

    static HubEnvironment fromSystem();
    // The endpoint's host, the only one the token is sent to.
    QString endpointHost() const;
};

}  // namespace attnscope::core
