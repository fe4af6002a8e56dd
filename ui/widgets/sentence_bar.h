#pragma once

#include <QWidget>

class QAction;
class QMenu;
class QToolButton;

namespace attnscope::ui {

class SentenceEdit;

// The sentence row: the text field, the swap button that flips the word deciding what the
// pronoun refers to ("tired ⇄ wide", Ctrl+T) and the Examples menu of minimal pairs (also in the
// menu bar). Typing emits textEdited; a swap or an example emits chosen (analyse at once).
class SentenceBar : public QWidget {
    Q_OBJECT

public:
    explicit SentenceBar(QWidget* parent = nullptr);

    QString text() const;
    // Sets the text without emitting textEdited (a session, the built-in model's default sentence).
    void setTextQuietly(const QString& text);
    // A trace file's text: shown, not editable (no model runs), and why in the tooltip; false: typing again.
    void setReadOnly(bool on, const QString& why = QString());
    bool isReadOnly() const { return m_readOnly; }
    QMenu* examplesMenu() const { return m_examples; }
    // "Swap the Deciding Word" (Ctrl+T): add it to the window so it works while the bar is hidden.
    QAction* swapAction() const { return m_swapAction; }
    SentenceEdit* edit() const { return m_edit; }
    // Marks where the model stopped reading (code point `cut`; -1: it read everything).
    void markCut(int cut, int read, int total);
    QWidget* swapButton() const;
    // Swaps the deciding word when the sentence has one; false when it has none.
    bool swapWord();

Q_SIGNALS:
    void textEdited(const QString& text);
    void chosen(const QString& text);

protected:
    void changeEvent(QEvent* event) override;  // the large type follows the application font

private:
    bool m_readOnly = false;
    void updateSwap();
    void applyLargeFont();

    SentenceEdit* m_edit = nullptr;
    QToolButton* m_clear = nullptr;
    QToolButton* m_swap = nullptr;
    QToolButton* m_examplesButton = nullptr;
    QMenu* m_examples = nullptr;
    QAction* m_swapAction = nullptr;
};

}  // namespace attnscope::ui
