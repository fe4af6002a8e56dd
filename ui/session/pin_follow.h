#pragma once

#include "session/analysis_result.h"

namespace attnscope::ui {

// Where a pinned token went when the analysis changed: the token of `after` that covers the same
// characters of the same word, found by carrying the pinned token's character span through the edit
// (the texts' common prefix stays put, their common suffix shifts by the change in length). -1 when
// the word itself was edited or removed, when text gave way to an image or back, or when nothing
// was pinned. Special tokens without characters ([CLS], [SEP], <s>) keep their place at the start or
// the end. Between two pictures of one grid a patch stays the same patch.
int followPinnedToken(const AnalysisResult& before, int pinned, const AnalysisResult& after);

}  // namespace attnscope::ui
