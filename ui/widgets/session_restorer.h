#pragma once

#include "session/analysis_session.h"
#include "session/session_file.h"

#include <QObject>

#include <functional>
#include <optional>

namespace attnscope::ui {

class QkvView;
class SentenceBar;
class ViewState;
class ViewTabs;

// A saved session (session_file.h) set on the window in its order: the model (opened unless it is
// the one open), then the text or the picture, then, once that analysis is in, the selection and
// the view; and the window read back into one.
class SessionRestorer : public QObject {
    Q_OBJECT

public:
    struct Window {  // what a session reads and drives
        AnalysisSession* session = nullptr;
        ViewState* state = nullptr;
        SentenceBar* sentence = nullptr;
        QkvView* qkv = nullptr;
        ViewTabs* tabs = nullptr;
        std::function<void(const QString&)> openModel;  // a folder or a Hub id
        std::function<void(const QString&)> openImage;
        std::function<bool(const QString&)> isOpen;     // the model open now came from there
    };
    SessionRestorer(const Window& window, QObject* parent);

    void open(const SessionFile& session);
    // The selection and view of the session being opened, when `result` is its analysis; true then.
    bool applyTo(const AnalysisResult& result);
    SessionFile current() const;

private:
    Window m_window;
    std::optional<SessionFile> m_pending;
};

}  // namespace attnscope::ui
