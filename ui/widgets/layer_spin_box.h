#pragma once

#include <QSpinBox>

#include <vector>

namespace attnscope::ui {

// The layer control: its value is the trace's layer index (what ViewState holds) and its text the
// model's own layer number, which differ for a trace file holding some layers only (layers 40-79
// of a model show as 40 to 79, not 0 to 39).
class LayerSpinBox : public QSpinBox {
    Q_OBJECT

public:
    using QSpinBox::QSpinBox;
    // The model layer number of each index (empty: the index itself).
    void setLayerNumbers(std::vector<int> numbers);

protected:
    QString textFromValue(int value) const override;
    int valueFromText(const QString& text) const override;
    QValidator::State validate(QString& text, int& pos) const override;

private:
    std::vector<int> m_numbers;
};

}  // namespace attnscope::ui
