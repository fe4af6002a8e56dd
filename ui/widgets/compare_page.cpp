#include "widgets/compare_page.h"

#include "model/minimal_pairs.h"
#include "widgets/compare_view.h"

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QThreadPool>
#include <QVBoxLayout>

namespace attnscope::ui {

ComparePage::ComparePage(ViewState* state, QWidget* parent) : QWidget(parent), m_state(state) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    auto* label = new QLabel(tr("Compare with (B):"));
    m_textB = new QLineEdit;
    m_textB->setPlaceholderText(tr("a second sentence; A is the one above"));
    label->setBuddy(m_textB);
    connect(m_textB, &QLineEdit::textEdited, this, [this] { m_debounce.start(); });
    m_pair = new QPushButton(tr("tired / wide"));
    m_pair->setToolTip(tr("A: “…because it was tired.”, B: the same with “wide”: “it” moves from the animal to the road. "
                          "With a sentence of another minimal pair above, B becomes its twin."));
    connect(m_pair, &QPushButton::clicked, this, &ComparePage::loadPair);
    m_head = new QComboBox;
    m_head->addItems({tr("The head that changes most"), tr("The current layer and head")});
    connect(m_head, &QComboBox::currentIndexChanged, this, &ComparePage::recompare);
    row->addWidget(label);
    row->addWidget(m_textB, 1);
    row->addWidget(m_pair);
    row->addWidget(m_head);
    layout->addLayout(row);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_view = new CompareView(state);
    layout->addWidget(m_view, 1);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, &ComparePage::analyseB);
    connect(m_state, &ViewState::changed, this, [this] {
        if (followsCurrentHead()) recompare();
    });
}

bool ComparePage::followsCurrentHead() const { return m_head->currentIndex() == 1; }
void ComparePage::setFollowsCurrentHead(bool on) { m_head->setCurrentIndex(on ? 1 : 0); }
QString ComparePage::textB() const { return m_textB->text(); }

void ComparePage::setModel(LoadedModelPtr model) {
    m_model = std::move(model);
    m_b.reset();
    analyseB();
}

void ComparePage::setResult(AnalysisResultPtr result) {
    const bool settingsChanged = m_a && result && (m_a->valueWeighted != result->valueWeighted || m_a->ablated != result->ablated);
    m_a = std::move(result);
    if (settingsChanged) analyseB();  // B runs as A does
    else recompare();
}

void ComparePage::setTextB(const QString& text) {
    m_textB->setText(text);
    analyseB();
}

void ComparePage::loadPair() {
    const QString a = m_a ? m_a->text : QString();
    if (const auto swap = core::swapDecidingWord(a)) {
        setTextB(swap->text);
        return;
    }
    const core::MinimalPair& pair = core::minimalPairs().front();
    setTextB(pair.second);
    Q_EMIT textARequested(pair.first);
}

void ComparePage::analyseB() {
    m_debounce.stop();
    const QString text = m_textB->text();
    const quint64 generation = ++m_generation;
    if (!m_model || text.isEmpty()) {
        m_b.reset();
        recompare();
        return;
    }
    if (m_model->config().isVision()) {
        m_b.reset();
        m_view->setComparison(nullptr);
        m_view->setMessage(tr("Compare reads two texts; %1 is an image model.").arg(m_model->config().name));
        return;
    }
    AnalysisSettings settings;
    settings.ablate = m_state->ablated();
    settings.valueWeighted = m_state->valueWeighted();
    const LoadedModelPtr model = m_model;
    QPointer<ComparePage> self(this);
    ++m_running;
    m_status->setText(tr("Analysing B…"));
    QThreadPool::globalInstance()->start([self, model, text, settings, generation] {
        auto result = runAnalysis(*model, text, true, generation, nullptr, settings);
        AnalysisResultPtr ptr = result ? *result : nullptr;
        const QString error = result ? QString() : result.message();
        QMetaObject::invokeMethod(qApp, [self, generation, ptr, error] {
            if (self) self->finished(generation, ptr, error);
        });
    });
}

void ComparePage::finished(quint64 generation, AnalysisResultPtr result, const QString& error) {
    --m_running;
    if (generation != m_generation) return;  // B changed since
    m_b = std::move(result);
    if (!m_b) {
        m_view->setComparison(nullptr);
        m_view->setMessage(tr("B: %1").arg(error));
        m_status->clear();
        Q_EMIT compared();
        return;
    }
    recompare();
}

void ComparePage::recompare() {
    if (!m_a || !m_b || !m_a->trace || !m_b->trace || m_a->isImage()) {
        m_view->setComparison(nullptr);
        m_view->setMessage(QString());
        m_status->clear();
        return;
    }
    const core::AttentionTrace& a = *m_a->trace;
    const core::AttentionTrace& b = *m_b->trace;
    if (a.layers() != b.layers() || a.heads() != b.heads()) return;  // B is from the previous model
    const core::HeadRef head = followsCurrentHead() ? core::HeadRef{m_state->layer(), m_state->head()}
                                                    : core::mostChangedHead(m_a->labels, a, m_b->labels, b);
    auto c = std::make_shared<core::Comparison>(core::compareHead(m_a->labels, a, m_b->labels, b, head.layer, head.head));
    const bool aligned = m_a->labels.size() == m_b->labels.size();
    m_status->setText(tr("A: %1 tokens, B: %2 tokens, %3. Largest change %4.")
                          .arg(m_a->labels.size())
                          .arg(m_b->labels.size())
                          .arg(aligned ? tr("aligned by position") : tr("aligned by their common tokens (gaps in grey)"))
                          .arg(double(c->maxAbsDiff()), 0, 'f', 3));
    m_view->setComparison(std::move(c));
    Q_EMIT compared();
}

}  // namespace attnscope::ui
