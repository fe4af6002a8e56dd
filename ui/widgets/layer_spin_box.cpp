#include "widgets/layer_spin_box.h"

#include <QLineEdit>

#include <algorithm>

namespace attnscope::ui {

void LayerSpinBox::setLayerNumbers(std::vector<int> numbers) {
    bool identity = true;
    for (size_t i = 0; i < numbers.size(); ++i) identity = identity && numbers[i] == int(i);
    if (identity) numbers.clear();
    if (numbers == m_numbers) return;
    m_numbers = std::move(numbers);
    setToolTip(m_numbers.empty() ? tr("Layers count from 0, as in the exported arrays")
                                 : tr("The model's layer numbers: this trace holds %1 of its layers").arg(m_numbers.size()));
    lineEdit()->setText(textFromValue(value()));  // shown at once, not at the next step
}

QString LayerSpinBox::textFromValue(int value) const {
    if (value >= 0 && value < int(m_numbers.size())) return QString::number(m_numbers[size_t(value)]);
    return QSpinBox::textFromValue(value);
}

int LayerSpinBox::valueFromText(const QString& text) const {
    if (m_numbers.empty()) return QSpinBox::valueFromText(text);
    bool ok = false;
    const int number = text.trimmed().toInt(&ok);
    const auto it = std::find(m_numbers.begin(), m_numbers.end(), number);
    return ok && it != m_numbers.end() ? int(it - m_numbers.begin()) : value();
}

QValidator::State LayerSpinBox::validate(QString& text, int& pos) const {
    if (m_numbers.empty()) return QSpinBox::validate(text, pos);
    if (text.trimmed().isEmpty()) return QValidator::Intermediate;
    bool ok = false;
    const int number = text.trimmed().toInt(&ok);
    if (!ok) return QValidator::Invalid;
    return std::find(m_numbers.begin(), m_numbers.end(), number) != m_numbers.end() ? QValidator::Acceptable : QValidator::Intermediate;
}

}  // namespace attnscope::ui
