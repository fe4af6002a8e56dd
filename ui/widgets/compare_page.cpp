#include "widgets/compare_page.h"

#include "model/minimal_pairs.h"
#include "session/trace_result.h"
#include "widgets/compare_view.h"
#include "widgets/file_dialogs.h"

#include <QApplication>
#include <QComboBox>
#include <QFileInfo>
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
    auto* label = m_label = new QLabel(tr("Compare with (B):"));
    m_textB = new QLineEdit;
    m_textB->setPlaceholderText(tr("a second sentence; A is the one above"));
    label->setBuddy(m_textB);
    connect(m_textB, &QLineEdit::textEdited, this, [this] { m_debounce.start(); });
    m_pair = new QPushButton(tr("tired / wide"));
    m_pair->setToolTip(tr("A: “…because it was tired.”, B: the same with “wide”: “it” moves from the animal to the road. "
                          "With a sentence of another minimal pair above, B becomes its twin."));
    connect(m_pair, &QPushButton::clicked, this, &ComparePage::loadPair);
    m_traceB = new QPushButton(tr("Open Trace B…"));
    m_traceB->setToolTip(tr("A second trace file of the same model (attnscope_export.py or attnscope-cli attention --save-trace)."));
    m_traceB->hide();
    connect(m_traceB, &QPushButton::clicked, this, [this] {
        const QString path = askOpenFile(this, tr("Open trace B"), QStringLiteral("trace"), traceFileFilter());
        if (!path.isEmpty()) openTraceB(path);
    });
    m_head = new QComboBox;
    m_head->addItems({tr("The head that changes most"), tr("The current layer and head")});
    connect(m_head, &QComboBox::currentIndexChanged, this, &ComparePage::recompare);
    row->addWidget(label);
    row->addWidget(m_textB, 1);
    row->addWidget(m_pair);
    row->addWidget(m_traceB);
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

void ComparePage::setTraceMode(bool on) {
    if (on == m_traceMode) return;
    m_traceMode = on;
    m_textB->setVisible(!on);
    m_pair->setVisible(!on);
    m_traceB->setVisible(on);
    m_label->setText(on ? tr("Compare trace A with a trace B:") : tr("Compare with (B):"));
    ++m_generation;  // a B of the other kind is stale
    m_b.reset();
}

void ComparePage::openTraceB(const QString& path) {
    const quint64 generation = ++m_generation;
    QPointer<ComparePage> self(this);
    ++m_running;
    m_status->setText(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    QThreadPool::globalInstance()->start([self, path, generation] {
        auto opened = core::openTraceFile(path);
        AnalysisResultPtr ptr = opened ? traceAnalysisResult(std::make_shared<const core::OpenedTrace>(std::move(opened).value())) : nullptr;
        const QString error = opened ? QString() : opened.message();
        QMetaObject::invokeMethod(qApp, [self, generation, ptr, error] {
            if (self) self->finished(generation, ptr, error);
        });
    });
}

void ComparePage::setResult(AnalysisResultPtr result) {
    setTraceMode(result && result->fromFile());
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
    if (m_traceMode) return;  // B is a trace file, opened by hand
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
    if (a.layers() != b.layers() || a.heads() != b.heads() || a.layerNumber(0) != b.layerNumber(0)) {
        if (!m_traceMode) return;  // B is from the previous model and is being redone
        m_view->setComparison(nullptr);
        m_view->setMessage(tr("Trace B holds %1 layers × %2 heads from layer %3, trace A %4 × %5 from layer %6: compare needs two runs of one model.")
                               .arg(b.layers()).arg(b.heads()).arg(b.layerNumber(0)).arg(a.layers()).arg(a.heads()).arg(a.layerNumber(0)));
        m_status->clear();
        return;
    }
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
