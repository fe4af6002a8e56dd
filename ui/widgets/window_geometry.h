#pragma once

class QWidget;

namespace attnscope::ui {

// Moves and shrinks a top-level window so all of it lies on the screen it is on (a geometry saved on
// a larger monitor, restored on a laptop or a 1280x720 projector, would otherwise hang off the
// edges). Never below the window's minimum size.
void fitWindowToScreen(QWidget* window);

}  // namespace attnscope::ui
