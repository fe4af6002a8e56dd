#pragma once

#include "lesson/lesson_script.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QAction;
class QLabel;
class QPushButton;
class QTextBrowser;

namespace attnscope::ui {

class HighlightFrame;

// What the lesson drives in the window.
struct LessonHooks {
    std::function<void(const QString&)> showView;   // "qkv", "links", "grid"
    std::function<void(QkvStep)> showQkvStep;
    std::function<bool()> swapWord;                 // false when the sentence has no deciding word
    std::function<QWidget*(LessonTarget)> target;   // the widget to outline
};

// Help > Lesson (F1): a side panel that walks a class through self-attention on the current
// sentence, one caption at a time, setting up the views as it goes and outlining what it talks
// about. Next / Back: the buttons, Page Down / Page Up (a presenter's clicker) or → / ← on the
// panel; the glossary is one click away.
class LessonPanel : public QWidget {
    Q_OBJECT

public:
    LessonPanel(ViewState* state, LessonHooks hooks, QWidget* parent = nullptr);
    ~LessonPanel() override;
    int step() const { return m_step; }
    void setStep(int step);  // applies it to the views
    void next() { setStep(m_step + 1); }
    void back() { setStep(m_step - 1); }
    QString captionText() const;  // the caption shown, as plain text
    bool glossaryVisible() const;
    void setGlossaryVisible(bool on);
    void setActive(bool on);  // shown: outlines on, caption live; hidden: outlines off
    QSize sizeHint() const override;  // about 34 characters wide: short lines read well on a projector

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;  // the title's large type follows the application font

private:
    void refresh();  // the caption for the current result and state
    void applyFonts();

    ViewState* m_state;
    LessonHooks m_hooks;
    int m_step = 0;
    bool m_active = false;
    QLabel* m_counter;
    QLabel* m_title;
    QLabel* m_caption;
    QPushButton* m_back;
    QPushButton* m_next;
    QPushButton* m_glossaryButton;
    QTextBrowser* m_glossary;
    QPointer<HighlightFrame> m_highlight;  // over its target, or parentless between targets: deleted with the panel
};

}  // namespace attnscope::ui
