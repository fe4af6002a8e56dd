#pragma once

#include <QColor>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace attnscope::ui {

// Perceptually uniform, colour-blind-safe maps (matplotlib's tables); RdBu is diverging for
// signed values (blue negative, white zero, red positive).
enum class ColormapId { Viridis, Magma, Cividis, Greys, RdBu };

namespace colormap_data {
extern const unsigned char kViridis[256][3];
extern const unsigned char kMagma[256][3];
extern const unsigned char kCividis[256][3];
extern const unsigned char kGreys[256][3];
extern const unsigned char kRdbu[256][3];
}  // namespace colormap_data

class Colormap {
public:
    explicit Colormap(ColormapId id = ColormapId::Viridis);
    ColormapId id() const { return m_id; }
    // t in [0, 1] (clamped; NaN -> 0) as 0xAARRGGBB.
    QRgb rgb(float t) const;
    QColor color(float t) const { return QColor::fromRgb(rgb(t)); }
    // A readable text colour on top of rgb(t).
    QColor textOn(float t) const;

    static QStringList names();  // in ColormapId order
    static QString name(ColormapId id);
    static bool fromName(const QString& name, ColormapId* id);

private:
    ColormapId m_id;
    const unsigned char (*m_table)[3];
};

}  // namespace attnscope::ui
