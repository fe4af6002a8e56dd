#include "render/qkv_data.h"

#include <cmath>

namespace attnscope::ui::qkv {

QkvStep vectorStep(QkvVector row) {
    switch (row) {
        case QkvVector::Input: return QkvStep::Input;
        case QkvVector::Query: return QkvStep::Query;
        case QkvVector::Rotated: return QkvStep::Rotate;
        case QkvVector::Context: return QkvStep::Context;
        case QkvVector::Output: return QkvStep::Output;
    }
    return QkvStep::Input;
}

QString vectorName(QkvVector row, const QkvSpec& s) {
    const bool causal = s.trace->shape().causal, rotary = s.trace->rotary();
    if (row == QkvVector::Rotated)
        return qkvStepName(QkvStep::Rotate, causal, rotary).section(QStringLiteral(" · "), 0, 0) +
               QStringLiteral(" · q rotated by position %1").arg(std::clamp(s.query, 0, s.trace->tokens() - 1));
    return qkvStepName(vectorStep(row), causal, rotary);
}

const char* vectorSymbol(QkvVector row) {
    switch (row) {
        case QkvVector::Input: return "x";
        case QkvVector::Query: return "q";
        case QkvVector::Rotated: return "q";
        case QkvVector::Context: return "c";
        case QkvVector::Output: return "o";
    }
    return "";
}

QkvStep columnStep(QkvColumn c, bool turned) {
    switch (c) {
        case QkvColumn::Label: return QkvStep::Keys;
        case QkvColumn::Key: return turned ? QkvStep::Rotate : QkvStep::Keys;
        case QkvColumn::Dot: return QkvStep::Dot;
        case QkvColumn::Scaled: return QkvStep::Scale;
        case QkvColumn::Mask: return QkvStep::Mask;
        case QkvColumn::Softmax: return QkvStep::Softmax;
        case QkvColumn::Value: return QkvStep::Weighted;
        case QkvColumn::Weighted: return QkvStep::Weighted;
    }
    return QkvStep::Keys;
}

QString columnTitle(QkvColumn c, const QkvData& data) {
    switch (c) {
        case QkvColumn::Label: return QStringLiteral("key token j");
        case QkvColumn::Key: return data.turned ? QStringLiteral("k_j rotated by j") : QStringLiteral("k_j");
        case QkvColumn::Dot: return QStringLiteral("q · k_j");
        case QkvColumn::Scaled: return QStringLiteral("÷ √%1").arg(std::lround(double(data.sqrtD) * data.sqrtD));
        case QkvColumn::Mask: return QStringLiteral("mask");
        case QkvColumn::Softmax: return QStringLiteral("softmax p_j");
        case QkvColumn::Value: return QStringLiteral("v_j");
        case QkvColumn::Weighted: return QStringLiteral("p_j v_j");
    }
    return {};
}

double maxAbs(const float* v, int count) {
    double m = 0;
    for (int e = 0; e < count; ++e) m = std::max(m, double(std::abs(v[e])));
    return m;
}

}  // namespace attnscope::ui::qkv
