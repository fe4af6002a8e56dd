// Dark theme and presentation contrast: every token chip's text reads on its fill (WCAG AA, 4.5:1)
// in the light, dark and both presentation palettes.
#include "widgets/app_palettes.h"
#include "widgets/token_bar.h"

#include <QApplication>
#include <QStyle>
#include <QTest>

#include <cmath>

using namespace attnscope::ui;

namespace {

double luminance(const QColor& c) {
    auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

// The text colour as seen over the fill (a translucent placeholder colour blends in).
QColor over(const QColor& text, const QColor& fill) {
    const double a = text.alphaF();
    return QColor::fromRgbF(float(text.redF() * a + fill.redF() * (1 - a)), float(text.greenF() * a + fill.greenF() * (1 - a)),
                            float(text.blueF() * a + fill.blueF() * (1 - a)));
}

double contrast(const QColor& text, const QColor& fill) {
    const double a = luminance(over(text, fill)), b = luminance(fill);
    return (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
}

}  // namespace

class TestContrast : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void chipsRead_data();
    void chipsRead();
};

void TestContrast::chipsRead_data() {
    QTest::addColumn<QPalette>("palette");
    QTest::addColumn<bool>("special");
    QTest::addColumn<bool>("unknown");
    QTest::addColumn<bool>("focus");
    const QList<QPair<const char*, QPalette>> palettes{{"light", QApplication::style()->standardPalette()},
                                                       {"dark", darkPalette()},
                                                       {"presentation", presentationPalette(false)},
                                                       {"presentation dark", presentationPalette(true)}};
    for (const auto& [name, palette] : palettes)
        for (int state = 0; state < 5; ++state) {
            const bool special = state == 1, unknown = state == 2 || state == 4, focus = state >= 3;
            const char* kind[] = {"word", "special", "unknown", "pinned", "pinned unknown"};
            QTest::addRow("%s, %s", name, kind[state]) << palette << special << unknown << focus;
        }
}

void TestContrast::chipsRead() {
    QFETCH(QPalette, palette);
    QFETCH(bool, special);
    QFETCH(bool, unknown);
    QFETCH(bool, focus);
    const ChipColors c = chipColors(palette, special, unknown, focus);
    const double ratio = contrast(c.text, c.fill);
    QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("text %1 on %2: %3:1").arg(c.text.name(QColor::HexArgb), c.fill.name()).arg(ratio, 0, 'f', 2)));
    // A pinned chip stands out from the plain ones around it.
    if (focus) QVERIFY(contrast(c.fill, chipColors(palette, false, false, false).fill) >= 1.5);
}

QTEST_MAIN(TestContrast)
#include "tst_contrast.moc"
