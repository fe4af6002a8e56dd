#include "render/colormap.h"

#include <algorithm>
#include <cmath>

namespace attnscope::ui {

Colormap::Colormap(ColormapId id) : m_id(id) {
    switch (id) {
        case ColormapId::Viridis: m_table = colormap_data::kViridis; break;
        case ColormapId::Magma: m_table = colormap_data::kMagma; break;
        case ColormapId::Cividis: m_table = colormap_data::kCividis; break;
        case ColormapId::Greys: m_table = colormap_data::kGreys; break;
        case ColormapId::RdBu: m_table = colormap_data::kRdbu; break;
    }
}

QRgb Colormap::rgb(float t) const {
    if (!(t >= 0)) t = 0;  // also NaN
    const int i = std::min(255, int(t * 255.0f + 0.5f));
    return qRgb(m_table[i][0], m_table[i][1], m_table[i][2]);
}

QColor Colormap::textOn(float t) const {
    const QRgb c = rgb(t);
    const double luminance = 0.2126 * qRed(c) + 0.7152 * qGreen(c) + 0.0722 * qBlue(c);
    return luminance > 140 ? QColor(Qt::black) : QColor(Qt::white);
}

QStringList Colormap::names() {
    return {QStringLiteral("viridis"), QStringLiteral("magma"), QStringLiteral("cividis"), QStringLiteral("greys"),
            QStringLiteral("rdbu")};
}

QString Colormap::name(ColormapId id) { return names().at(int(id)); }

bool Colormap::fromName(const QString& name, ColormapId* id) {
    const int i = names().indexOf(name.toLower());
    if (i < 0) return false;
    *id = ColormapId(i);
    return true;
}

}  // namespace attnscope::ui
