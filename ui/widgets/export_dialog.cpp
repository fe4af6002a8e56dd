#include "widgets/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

#include <cmath>

namespace attnscope::ui {
namespace {
constexpr double kMinPoints = 72, kMaxPoints = 7200;  // 1 to 100 inches
const double kUnits[] = {1.0, 72.0, 72.0 / 2.54};  // points, inches, centimetres
QString sizeKey(const QString& figure) { return QStringLiteral("export/size/") + figure; }
}  // namespace

ExportDialog::ExportDialog(const QString& fileName, FigureFormat format, const QString& figureName, const QSizeF& preferred, QWidget* parent)
    : QDialog(parent), m_format(format), m_figureName(figureName), m_preferred(preferred) {
    setWindowTitle(tr("Export %1").arg(fileName));
    auto* form = new QFormLayout(this);
    m_width = new QDoubleSpinBox;
    m_height = new QDoubleSpinBox;
    m_unit = new QComboBox;
    m_unit->addItems({tr("points"), tr("inches"), tr("cm")});
    m_unit->setCurrentIndex(std::clamp(QSettings().value(QStringLiteral("export/unit"), 0).toInt(), 0, 2));
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel(QStringLiteral("×")));
    sizeRow->addWidget(m_height);
    sizeRow->addWidget(m_unit);
    auto* reset = new QPushButton(tr("Default"));
    reset->setToolTip(tr("The size this view proposes for its input (%1 x %2 points)").arg(preferred.width(), 0, 'f', 0).arg(preferred.height(), 0, 'f', 0));
    sizeRow->addWidget(reset);
    form->addRow(tr("Size:"), sizeRow);
    m_keepRatio = new QCheckBox(tr("Keep the aspect ratio"));
    m_keepRatio->setChecked(true);
    form->addRow(QString(), m_keepRatio);
    m_dpi = new QSpinBox;
    m_dpi->setRange(72, 1200);
    m_dpi->setValue(QSettings().value(QStringLiteral("export/dpi"), 200).toInt());
    m_dpi->setSuffix(tr(" dpi"));
    m_dpi->setEnabled(format == FigureFormat::Png);
    form->addRow(tr("Resolution (PNG):"), m_dpi);
    m_pixels = new QLabel;
    form->addRow(QString(), m_pixels);
    m_transparent = new QCheckBox(tr("Transparent background"));
    m_transparent->setChecked(QSettings().value(QStringLiteral("export/transparent"), false).toBool());
    form->addRow(QString(), m_transparent);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);

    const QSizeF remembered = QSettings().value(sizeKey(figureName)).toSizeF();
    m_points = remembered.isValid() && !remembered.isEmpty() ? remembered : preferred;
    showSize(m_points);
    connect(m_width, &QDoubleSpinBox::valueChanged, this, [this] { sizeEdited(true); });
    connect(m_height, &QDoubleSpinBox::valueChanged, this, [this] { sizeEdited(false); });
    connect(m_unit, &QComboBox::currentIndexChanged, this, [this] { showSize(m_points); });
    connect(m_dpi, &QSpinBox::valueChanged, this, &ExportDialog::updatePixels);
    connect(reset, &QPushButton::clicked, this, [this] { setFigureSize(m_preferred); });
}

double ExportDialog::unitPoints() const { return kUnits[std::clamp(m_unit->currentIndex(), 0, 2)]; }

void ExportDialog::showSize(const QSizeF& points) {
    m_updating = true;
    const double u = unitPoints();
    const int decimals = u == 1.0 ? 0 : 2;
    for (QDoubleSpinBox* box : {m_width, m_height}) {
        box->setDecimals(decimals);
        box->setRange(kMinPoints / u, kMaxPoints / u);
        box->setSingleStep(u == 1.0 ? 10 : 0.1);
    }
    m_width->setValue(points.width() / u);
    m_height->setValue(points.height() / u);
    m_updating = false;
    updatePixels();
}

void ExportDialog::setFigureSize(const QSizeF& points) {
    m_points = QSizeF(std::clamp(points.width(), kMinPoints, kMaxPoints), std::clamp(points.height(), kMinPoints, kMaxPoints));
    showSize(m_points);
}

void ExportDialog::sizeEdited(bool widthChanged) {
    if (m_updating) return;
    const double u = unitPoints();
    QSizeF next(m_width->value() * u, m_height->value() * u);
    if (m_keepRatio->isChecked() && m_points.width() > 0 && m_points.height() > 0) {
        const double ratio = m_points.height() / m_points.width();
        if (widthChanged) next.setHeight(next.width() * ratio);
        else next.setWidth(next.height() / ratio);
    }
    setFigureSize(next);
}

void ExportDialog::updatePixels() {
    if (m_format != FigureFormat::Png) {
        m_pixels->setText(tr("%1 x %2 points, vector").arg(m_points.width(), 0, 'f', 0).arg(m_points.height(), 0, 'f', 0));
        return;
    }
    const double scale = m_dpi->value() / 72.0;
    m_pixels->setText(tr("%1 x %2 pixels").arg(std::lround(m_points.width() * scale)).arg(std::lround(m_points.height() * scale)));
}

FigureOptions ExportDialog::options() const {
    FigureOptions o;
    o.size = m_points;
    o.dpi = m_dpi->value();
    o.transparent = m_transparent->isChecked();
    o.title = m_figureName;
    return o;
}

void ExportDialog::accept() {
    QSettings settings;
    settings.setValue(QStringLiteral("export/dpi"), m_dpi->value());
    settings.setValue(QStringLiteral("export/transparent"), m_transparent->isChecked());
    settings.setValue(QStringLiteral("export/unit"), m_unit->currentIndex());
    // A size the user set is kept for this view; the view's own proposal is not pinned.
    if (std::abs(m_points.width() - m_preferred.width()) > 0.5 || std::abs(m_points.height() - m_preferred.height()) > 0.5)
        settings.setValue(sizeKey(m_figureName), m_points);
    else
        settings.remove(sizeKey(m_figureName));
    QDialog::accept();
}

}  // namespace attnscope::ui
