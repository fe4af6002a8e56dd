#include "render/compare_spec.h"

#include <algorithm>

namespace attnscope::ui {

HeatmapSpec comparisonSpec(const core::Comparison& c, const QFont& font, const QColor& textColor) {
    HeatmapSpec s;
    s.values = c.diff.data();
    s.n = c.size();
    for (int r = 0; r < c.size(); ++r) s.labels << c.label(r);
    s.colormap = Colormap(ColormapId::RdBu);
    // Never a zero range: identical inputs show as white with a readable bar.
    s.signedRange = std::max(c.maxAbsDiff(), 0.01f);
    s.font = font;
    s.textColor = textColor;
    s.title = QStringLiteral("Layer %1 · head %2: B − A (red: more attention in B)").arg(c.layer).arg(c.head);
    return s;
}

}  // namespace attnscope::ui
