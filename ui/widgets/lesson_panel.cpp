#include "widgets/lesson_panel.h"

#include "widgets/highlight_frame.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QTextDocument>
#include <QVBoxLayout>

namespace attnscope::ui {

LessonPanel::LessonPanel(ViewState* state, LessonHooks hooks, QWidget* parent)
    : QWidget(parent), m_state(state), m_hooks(std::move(hooks)), m_highlight(new HighlightFrame) {
    setFocusPolicy(Qt::StrongFocus);
    auto* layout = new QVBoxLayout(this);
    m_counter = new QLabel;
    m_title = new QLabel;
    m_title->setWordWrap(true);
    m_caption = new QLabel;
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::RichText);
    m_caption->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_caption->setObjectName(QStringLiteral("lessonCaption"));
    m_back = new QPushButton(tr("◀ Back"));
    m_next = new QPushButton(tr("Next ▶"));
    m_back->setToolTip(tr("Page Up"));
    m_next->setToolTip(tr("Page Down"));
    for (QPushButton* b : {m_back, m_next}) b->setFocusPolicy(Qt::NoFocus);
    connect(m_back, &QPushButton::clicked, this, &LessonPanel::back);
    connect(m_next, &QPushButton::clicked, this, &LessonPanel::next);
    m_glossaryButton = new QPushButton(tr("Glossary"));
    m_glossaryButton->setCheckable(true);
    m_glossaryButton->setFocusPolicy(Qt::NoFocus);
    m_glossaryButton->setToolTip(tr("What query, key, value, head, layer, softmax and attention weight mean"));
    m_glossary = new QTextBrowser;
    m_glossary->setHtml(LessonScript::glossary());
    m_glossary->hide();
    connect(m_glossaryButton, &QPushButton::toggled, this, &LessonPanel::setGlossaryVisible);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    buttons->addStretch();
    buttons->addWidget(m_glossaryButton);
    layout->addWidget(m_counter);
    layout->addWidget(m_title);
    layout->addWidget(m_caption, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_glossary, 2);
    applyFonts();
    // The caption quotes the sentence's numbers: it follows every new analysis and selection.
    connect(state, &ViewState::changed, this, &LessonPanel::refresh);
    connect(state, &ViewState::focusChanged, this, &LessonPanel::refresh);
    refresh();
}

LessonPanel::~LessonPanel() { delete m_highlight.data(); }

QSize LessonPanel::sizeHint() const { return QSize(fontMetrics().averageCharWidth() * 34, fontMetrics().height() * 24); }

void LessonPanel::applyFonts() {
    QFont title = font();
    title.setBold(true);
    title.setPointSizeF(title.pointSizeF() * 1.3);
    m_title->setFont(title);
}

void LessonPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange) applyFonts();
    QWidget::changeEvent(event);
}

void LessonPanel::setActive(bool on) {
    m_active = on;
    if (on) setStep(m_step);
    else m_highlight->setTarget(nullptr);
}

void LessonPanel::setStep(int step) {
    const auto& steps = LessonScript::steps();
    const int previous = m_step;
    m_step = std::clamp(step, 0, int(steps.size()) - 1);
    const LessonStep& s = steps[size_t(m_step)];
    if (m_active) {
        // The token followed: pinned, so every view singles it out.
        if (const AnalysisResultPtr r = m_state->result(); r && r->trace && !r->isImage())
            if (const int q = LessonScript::queryToken(*r, *m_state); q >= 0) m_state->setPinnedToken(q);
        m_state->setHeadMode(s.headMode);
        if (s.modelsOwnHead) {
            if (const AnalysisResultPtr r = m_state->result(); r && !r->referents.empty() && r->referents.front().layer >= 0) {
                m_state->setLayer(r->referents.front().layer);
                m_state->setHead(r->referents.front().head);
            }
        }
        if (m_hooks.showView) m_hooks.showView(s.view);
        if (s.qkvStep && m_hooks.showQkvStep) m_hooks.showQkvStep(*s.qkvStep);
        // The swap happens when the class arrives at the step, not again on a refresh.
        if (s.swapWord && previous != m_step && m_hooks.swapWord) m_hooks.swapWord();
        m_highlight->setTarget(m_hooks.target ? m_hooks.target(s.target) : nullptr);
    }
    m_back->setEnabled(m_step > 0);
    m_next->setEnabled(m_step + 1 < int(steps.size()));
    refresh();
}

void LessonPanel::refresh() {
    const auto& steps = LessonScript::steps();
    m_counter->setText(tr("Lesson · step %1 of %2").arg(m_step + 1).arg(steps.size()));
    m_title->setText(steps[size_t(m_step)].title);
    const AnalysisResultPtr r = m_state->result();
    m_caption->setText(r ? LessonScript::caption(m_step, *r, *m_state)
                         : tr("Type a sentence, or open the built-in teaching model (File menu), and the lesson walks through it."));
}

QString LessonPanel::captionText() const {
    QTextDocument doc;
    doc.setHtml(m_caption->text());
    return doc.toPlainText();
}

bool LessonPanel::glossaryVisible() const { return m_glossary->isVisible(); }

void LessonPanel::setGlossaryVisible(bool on) {
    m_glossary->setVisible(on);
    if (m_glossaryButton->isChecked() != on) m_glossaryButton->setChecked(on);
}

void LessonPanel::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Right:
        case Qt::Key_Space: next(); break;
        case Qt::Key_Left: back(); break;
        default: QWidget::keyPressEvent(event);
    }
}

}  // namespace attnscope::ui
