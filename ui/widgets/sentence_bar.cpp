#include "widgets/sentence_bar.h"

#include "model/minimal_pairs.h"
#include "widgets/sentence_edit.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QStyle>
#include <QMenu>
#include <QToolButton>

namespace attnscope::ui {

SentenceBar::SentenceBar(QWidget* parent) : QWidget(parent) {
    m_edit = new SentenceEdit;
    m_edit->setPlaceholderText(tr("Type a sentence; the attention updates as you type"));
    connect(m_edit, &SentenceEdit::textEdited, this, [this](const QString& t) {
        updateSwap();
        m_clear->setEnabled(!t.isEmpty());
        if (!signalsBlocked()) Q_EMIT textEdited(t);
    });
    m_clear = new QToolButton;
    m_clear->setIcon(style()->standardIcon(QStyle::SP_LineEditClearButton));
    m_clear->setToolTip(tr("Clear the text"));
    m_clear->setAutoRaise(true);
    m_clear->setEnabled(false);
    connect(m_clear, &QToolButton::clicked, this, [this] {
        m_edit->clear();
        m_edit->setFocus();
    });

    m_swap = new QToolButton;
    connect(m_swap, &QToolButton::clicked, this, &SentenceBar::swapWord);

    // Examples: each minimal pair as two entries, the referent named, so a class sees the flip coming.
    m_examples = new QMenu(tr("E&xamples"), this);
    m_swapAction = m_examples->addAction(tr("&Swap the Deciding Word"), this, &SentenceBar::swapWord);
    m_swapAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+T")));
    m_swapAction->setShortcutContext(Qt::WindowShortcut);
    m_examples->addSeparator();
    for (const core::MinimalPair& p : core::minimalPairs()) {
        QMenu* sub = m_examples->addMenu(QStringLiteral("%1 ⇄ %2").arg(p.firstWord, p.secondWord));
        for (int side = 0; side < 2; ++side) {
            const QString sentence = side == 0 ? p.first : p.second;
            const QString referent = side == 0 ? p.firstReferent : p.secondReferent;
            sub->addAction(tr("%1    (→ %2)").arg(sentence, referent), this, [this, sentence] {
                setTextQuietly(sentence);
                Q_EMIT chosen(sentence);
            });
        }
    }
    m_examplesButton = new QToolButton;
    m_examplesButton->setText(tr("Examples"));
    m_examplesButton->setToolTip(tr("Sentences one word apart whose pronoun means different things"));
    m_examplesButton->setMenu(m_examples);
    m_examplesButton->setPopupMode(QToolButton::InstantPopup);

    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_edit, 1);
    row->addWidget(m_clear, 0, Qt::AlignTop);
    row->addWidget(m_swap, 0, Qt::AlignTop);
    row->addWidget(m_examplesButton, 0, Qt::AlignTop);
    applyLargeFont();
    updateSwap();
}

QWidget* SentenceBar::swapButton() const { return m_swap; }

void SentenceBar::applyLargeFont() {
    QFont big = font();  // the application's: presentation mode enlarges it, and this with it
    big.setPointSizeF(big.pointSizeF() * 1.4);
    for (QWidget* w : {static_cast<QWidget*>(m_edit), static_cast<QWidget*>(m_swap), static_cast<QWidget*>(m_examplesButton)}) w->setFont(big);
}

void SentenceBar::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange) applyLargeFont();
    QWidget::changeEvent(event);
}

QString SentenceBar::text() const { return m_edit->text(); }

void SentenceBar::setTextQuietly(const QString& text) {
    blockSignals(true);
    m_edit->setText(text);
    blockSignals(false);
    updateSwap();
    m_clear->setEnabled(!text.isEmpty());
}

void SentenceBar::markCut(int cut, int read, int total) { m_edit->markCut(cut, read, total); }

void SentenceBar::setReadOnly(bool on, const QString& why) {
    m_readOnly = on;
    m_edit->setReadOnly(on);
    m_edit->setToolTip(on ? why : QString());
    m_clear->setVisible(!on);
    m_examplesButton->setEnabled(!on);
    updateSwap();
}

bool SentenceBar::swapWord() {
    if (m_readOnly) return false;
    const auto swap = core::swapDecidingWord(m_edit->text());
    if (!swap) return false;
    setTextQuietly(swap->text);
    Q_EMIT chosen(swap->text);
    return true;
}

void SentenceBar::updateSwap() {
    const auto swap = m_readOnly ? std::nullopt : core::swapDecidingWord(m_edit->text());
    m_swap->setEnabled(swap.has_value());
    m_swapAction->setEnabled(swap.has_value());
    m_swap->setText(swap ? QStringLiteral("%1 ⇄ %2").arg(swap->from, swap->to) : tr("swap ⇄"));
    m_swap->setToolTip(swap ? tr("Swap “%1” for “%2”: the word that decides what the pronoun refers to (Ctrl+T)").arg(swap->from, swap->to)
                            : tr("Type a sentence from the Examples menu (or with one of its words) to swap the deciding word (Ctrl+T)"));
}

}  // namespace attnscope::ui
