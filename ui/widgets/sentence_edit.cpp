#include "widgets/sentence_edit.h"

#include <QAbstractTextDocumentLayout>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace attnscope::ui {
namespace {

// UTF-16 position of code point `cp` in `text` (clamped to its end).
int utf16Position(const QString& text, int cp) {
    int pos = 0;
    for (int i = 0; i < cp && pos < text.size(); ++i) pos += text.at(pos).isHighSurrogate() && pos + 1 < text.size() ? 2 : 1;
    return pos;
}
}  // namespace

SentenceEdit::SentenceEdit(QWidget* parent) : QPlainTextEdit(parent) {
    setTabChangesFocus(true);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    document()->setDocumentMargin(3);
    connect(this, &QPlainTextEdit::textChanged, this, [this] {
        markCut(-1, 0, 0);  // the old cut belongs to the old text; the next result marks the new one
        Q_EMIT textEdited(toPlainText());
    });
    connect(document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this, &SentenceEdit::fitHeight);
    fitHeight();
}

void SentenceEdit::setText(const QString& text) {
    if (text == toPlainText()) return;
    setPlainText(text);
    moveCursor(QTextCursor::End);
}

int SentenceEdit::heightForLines(int lines) const {
    // A line as the document lays it out (the font's line spacing until it has), the frame and
    // margins as the widget has them now: whole lines, no sliver of the next one.
    double line = QFontMetricsF(font()).lineSpacing();
    const QTextLayout* layout = document()->firstBlock().layout();
    if (layout && layout->lineCount() > 0) line = layout->lineAt(0).height();
    const QMargins m = contentsMargins();
    const int chrome = 2 * frameWidth() + m.top() + m.bottom();
    return int(std::ceil(lines * line + 2 * document()->documentMargin())) + chrome;
}

void SentenceEdit::fitHeight() {
    // QPlainTextDocumentLayout measures the document in lines.
    const int lines = std::clamp(int(document()->documentLayout()->documentSize().height() + 0.5), 1, m_maxLines);
    const int h = heightForLines(lines);
    if (h != height() || minimumHeight() != h) setFixedHeight(h);
    setVerticalScrollBarPolicy(document()->documentLayout()->documentSize().height() > m_maxLines ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff);
}

void SentenceEdit::setMaxLines(int lines) {
    m_maxLines = std::max(1, lines);
    fitHeight();
}

QSize SentenceEdit::sizeHint() const { return QSize(400, heightForLines(1)); }
QSize SentenceEdit::minimumSizeHint() const { return QSize(120, heightForLines(1)); }

void SentenceEdit::markCut(int cut, int read, int total) {
    QList<QTextEdit::ExtraSelection> marks;
    m_cutStart = -1;
    m_cutTip.clear();
    const QString text = toPlainText();
    if (cut >= 0) {
        const int start = utf16Position(text, cut);
        if (start < text.size()) {
            m_cutStart = start;
            m_cutTip = tr("The model reads %1 tokens; this text has %2. The struck-through part is not read.").arg(read).arg(total);
            QTextEdit::ExtraSelection mark;
            mark.cursor = QTextCursor(document());
            mark.cursor.setPosition(start);
            mark.cursor.setPosition(text.size(), QTextCursor::KeepAnchor);
            QColor grey = palette().color(QPalette::Text);
            grey.setAlphaF(0.45);
            mark.format.setForeground(grey);
            mark.format.setFontStrikeOut(true);
            QColor band(230, 160, 40);
            band.setAlphaF(0.18);
            mark.format.setBackground(band);
            marks << mark;
        }
    }
    setExtraSelections(marks);
    setToolTip(m_cutStart >= 0 ? m_cutTip : QString());
}

void SentenceEdit::resizeEvent(QResizeEvent* event) {
    QPlainTextEdit::resizeEvent(event);
    // A narrower box wraps onto more lines: the document is laid out again after this event.
    QMetaObject::invokeMethod(this, &SentenceEdit::fitHeight, Qt::QueuedConnection);
}

void SentenceEdit::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        event->ignore();  // a sentence, not a document
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

bool SentenceEdit::event(QEvent* event) {
    if (event->type() == QEvent::FontChange) {
        const bool done = QPlainTextEdit::event(event);
        fitHeight();
        return done;
    }
    if (event->type() == QEvent::ToolTip && m_cutStart < 0) {
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QPlainTextEdit::event(event);
}

}  // namespace attnscope::ui
