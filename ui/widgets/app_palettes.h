#pragma once

#include <QPalette>

namespace attnscope::ui {

// Presentation mode: black on white (or white on black with the dark theme), strong accents (a
// projector washes out greys).
QPalette presentationPalette(bool dark);
// View > Dark Theme.
QPalette darkPalette();

}  // namespace attnscope::ui
