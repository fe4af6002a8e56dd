#pragma once

#include <string>
#include <vector>

namespace attnscope::core {

// A run of (normalised) text on its way through a tokenizer. origin[i] is the index, in code
// points of the original input, of the character text[i] came from; offsets are built from it.
struct Piece {
    std::u32string text;
    std::vector<int> origin;  // same length as text
};

}  // namespace attnscope::core
