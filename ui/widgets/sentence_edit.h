#pragma once

#include <QPlainTextEdit>

namespace attnscope::ui {

// The sentence box: a text field that wraps a pasted paragraph onto up to four lines (then scrolls)
// instead of hiding it in one long line, and marks where the model stopped reading: the text past
// the cut is greyed and struck through, with a tooltip saying how many tokens were read. Return
// does not start a new line (a sentence box, as before); pasted line breaks are kept as typed.
class SentenceEdit : public QPlainTextEdit {
    Q_OBJECT

public:
    explicit SentenceEdit(QWidget* parent = nullptr);

    QString text() const { return toPlainText(); }
    void setText(const QString& text);

    // Marks the text from code point `cut` on as not read by the model (`read` of `total` tokens);
    // a negative cut clears the mark.
    void markCut(int cut, int read, int total);
    // The mark, in UTF-16 positions of text(): [start, end), or start == -1 when none.
    int cutStart() const { return m_cutStart; }

    // At most this many lines before it scrolls (4; presentation mode: 2, the room goes to the figure).
    void setMaxLines(int lines);
    int maxLines() const { return m_maxLines; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void textEdited(const QString& text);  // every change, typed or set

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool event(QEvent* event) override;  // the tooltip over the cut part

private:
    void fitHeight();
    int heightForLines(int lines) const;

    int m_maxLines = 4;
    int m_cutStart = -1;
    QString m_cutTip;
};

}  // namespace attnscope::ui
