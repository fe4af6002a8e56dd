#include "render/head_palette.h"

#include <array>

namespace attnscope::ui {

QColor headColor(int head) {
    static const std::array<QRgb, 12> kTol{0x4477AA, 0xEE6677, 0x228833, 0xCCBB44, 0x66CCEE, 0xAA3377,
                                           0x332288, 0x44AA99, 0x999933, 0x882255, 0xDDCC77, 0x117733};
    if (head >= 0 && head < int(kTol.size())) return QColor::fromRgb(kTol[size_t(head)]);
    return QColor::fromHsv((head * 47) % 360, 170, 200);
}

}  // namespace attnscope::ui
