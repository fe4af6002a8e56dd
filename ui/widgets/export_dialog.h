#pragma once

#include "export/figure_export.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace attnscope::ui {

// The options of one figure export: its size (points, or inches or centimetres for a journal's
// column width; the aspect ratio kept unless unlocked), the PNG resolution and a transparent
// background. The size chosen for each view is remembered (a paper's figures come out alike);
// "Default" goes back to the size the view proposes for its input.
class ExportDialog : public QDialog {
    Q_OBJECT

public:
    ExportDialog(const QString& fileName, FigureFormat format, const QString& figureName, const QSizeF& preferred, QWidget* parent = nullptr);

    FigureOptions options() const;  // the chosen size (points), dpi and background
    void setFigureSize(const QSizeF& points);
    void accept() override;  // remembers the choices

private:
    double unitPoints() const;  // points per unit shown
    void showSize(const QSizeF& points);
    void sizeEdited(bool widthChanged);
    void updatePixels();

    FigureFormat m_format;
    QString m_figureName;
    QSizeF m_preferred;
    QSizeF m_points;  // the size in points, exact (the boxes round)
    QDoubleSpinBox* m_width;
    QDoubleSpinBox* m_height;
    QComboBox* m_unit;
    QCheckBox* m_keepRatio;
    QSpinBox* m_dpi;
    QCheckBox* m_transparent;
    QLabel* m_pixels;
    bool m_updating = false;
};

}  // namespace attnscope::ui
