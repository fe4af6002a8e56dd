#include "widgets/predictions_view.h"

#include <QFontMetricsF>
#include <QPainter>

namespace attnscope::ui {

PredictionsView::PredictionsView(QWidget* parent) : QWidget(parent) { setMinimumWidth(200); }

void PredictionsView::setResult(AnalysisResultPtr result, bool hasHead) {
    m_result = std::move(result);
    m_hasHead = hasHead;
    update();
}

void PredictionsView::setFocusToken(int token) {
    if (token == m_focus) return;
    m_focus = token;
    update();
}

void PredictionsView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetricsF fm(font());
    const QRectF area = QRectF(rect()).adjusted(10, 8, -10, -8);
    p.setPen(palette().color(QPalette::Text));
    auto message = [&](const QString& text) { p.drawText(area, Qt::AlignTop | Qt::AlignLeft | Qt::TextWordWrap, text); };
    if (!m_result) return;
    if (m_result->fromFile())
        return message(tr("A trace file holds the attention a model paid, not what it predicted: open the model itself for its predictions."));
    if (!m_hasHead)
        return message(m_result->isImage() ? tr("This checkpoint has no classifier, so it cannot name what it sees.")
                                           : tr("This checkpoint has no language-model head, so it cannot predict tokens."));
    std::vector<PositionPredictions> shown = m_result->predictions;
    double y = area.top();
    const core::ReferentReading* reading = m_result->predictions.empty() ? m_result->referentFor(m_focus) : nullptr;
    if (reading && (m_focus < 0 || reading->pronoun == m_focus || reading->kind == core::ReferentReading::Kind::NoPronoun)) {
        // A teaching model: what the pronoun refers to, said plainly when it is outside what it learned.
        const QString text = core::describeReading(*reading, m_result->labels);
        const QRectF box = fm.boundingRect(QRectF(area.left() + 8, y + 6, area.width() - 16, 10000),
                                           Qt::AlignLeft | Qt::TextWordWrap, text);
        const QRectF frame(area.left(), y, area.width(), box.height() + 12);
        const bool trusted = reading->trusted();
        p.setPen(Qt::NoPen);
        p.setBrush(trusted ? QColor(68, 119, 170, 40) : QColor(230, 160, 40, 70));
        p.drawRoundedRect(frame, 6, 6);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(box, Qt::AlignLeft | Qt::TextWordWrap, text);
        y = frame.bottom() + fm.height() * 0.6;
        if (!trusted) return;  // no confident bars for an answer it cannot give
        if (reading->pronoun < int(m_result->perToken.size())) shown.push_back(m_result->perToken[size_t(reading->pronoun)]);
    } else if (shown.empty() && m_focus >= 0 && m_focus < int(m_result->perToken.size())) {
        shown.push_back(m_result->perToken[size_t(m_focus)]);
        if (shown.back().top.empty())
            return message(tr("Point at a pronoun (it, he, she, they) to see what the model reads there."));
    }
    if (shown.empty())
        return message(m_result->causal ? QString()
                                        : tr("Put [MASK] (or <mask>) in the sentence to see what the model predicts there, "
                                             "or point at a token to see what the model reads at it."));
    const double row = fm.height() * 1.5;
    if (!m_result->ablated.empty()) {  // say so before the bars
        const QString note = tr("%n head(s) switched off: bars now, dashed outlines with every head on.", "", int(m_result->ablated.size()));
        const QRectF box = fm.boundingRect(QRectF(area.left(), y, area.width(), 10000), Qt::AlignLeft | Qt::TextWordWrap, note);
        p.setPen(QColor(200, 110, 20));
        p.drawText(box, Qt::AlignLeft | Qt::TextWordWrap, note);
        y = box.bottom() + fm.height() * 0.5;
    }
    for (const PositionPredictions& pp : shown) {
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.setPen(palette().color(QPalette::Text));
        const QString heading = m_result->isImage() ? tr("The classifier sees") : m_result->causal ? tr("Next token after “%1”").arg(m_result->labels.value(pp.position))
                                : m_result->predictions.empty()
                                    ? tr("The model reads “%1” (#%2) as").arg(m_result->labels.value(pp.position)).arg(pp.position)
                                    : tr("Token #%1 (%2)").arg(pp.position).arg(m_result->labels.value(pp.position));
        // The heading wraps (a narrow panel, presentation type) rather than being cut off.
        const QRectF headingBox = QFontMetricsF(bold).boundingRect(QRectF(area.left(), y, area.width(), 10000),
                                                                   Qt::AlignLeft | Qt::TextWordWrap, heading);
        p.drawText(QRectF(area.left(), y + (row - fm.height()) / 2, area.width(), headingBox.height()), Qt::AlignLeft | Qt::TextWordWrap, heading);
        y += std::max(row, headingBox.height() + (row - fm.height()));
        p.setFont(font());
        const double labelW = area.width() * 0.4;
        const bool compared = pp.before.size() == pp.top.size();
        // With heads switched off: "before → after" and an outline where the bar stood before.
        const double percentW = fm.horizontalAdvance(compared ? QStringLiteral("100% → 100%") : QStringLiteral("100%")) + 8;
        auto percent = [](double v) { return QString::number(v * 100, 'f', v < 0.1 ? 1 : 0) + QLatin1Char('%'); };
        const double barSpan = std::max(0.0, area.width() - labelW - percentW);
        for (size_t i = 0; i < pp.top.size(); ++i) {
            const double prob = pp.top[i].probability;
            const QRectF bar(area.left() + labelW, y + row * 0.2, barSpan * prob, row * 0.6);
            p.fillRect(bar, QColor(68, 119, 170));
            double textLeft = bar.right();
            if (compared) {
                const QRectF was(area.left() + labelW, y + row * 0.2, barSpan * pp.before[i], row * 0.6);
                p.setPen(QPen(palette().color(QPalette::Text), 1, Qt::DashLine));
                p.setBrush(Qt::NoBrush);
                p.drawRect(was.adjusted(0.5, 0.5, -0.5, -0.5));
                textLeft = std::max(textLeft, was.right());
            }
            p.setPen(palette().color(QPalette::Text));
            p.drawText(QRectF(area.left(), y, labelW - 6, row), Qt::AlignRight | Qt::AlignVCenter,
                       fm.elidedText(pp.texts.value(int(i)).trimmed(), Qt::ElideRight, labelW - 6));
            p.drawText(QRectF(textLeft + 4, y, percentW, row), Qt::AlignLeft | Qt::AlignVCenter,
                       compared ? percent(pp.before[i]) + QStringLiteral(" → ") + percent(prob) : percent(prob));
            y += row;
        }
        y += row * 0.5;
    }
}

}  // namespace attnscope::ui
