#pragma once

#include <QPalette>

namespace attnscope::ui {

// Presentation mode: black on white, strong accents (a projector washes out greys).
QPalette presentationPalette();
// View > Dark Theme.
QPalette darkPalette();

}  // namespace attnscope::ui
