#include "widgets/shortcut_filter.h"

#include <QAction>
#include <QKeyEvent>
#include <QKeySequence>
#include <QWidget>

namespace attnscope::ui {
namespace {

bool isEditingKey(const QKeySequence& key) {
    for (QKeySequence::StandardKey k : {QKeySequence::Copy, QKeySequence::Cut, QKeySequence::Paste, QKeySequence::Undo, QKeySequence::Redo,
                                        QKeySequence::SelectAll, QKeySequence::DeleteStartOfWord, QKeySequence::DeleteEndOfWord})
        if (QKeySequence::keyBindings(k).contains(key)) return true;
    return false;
}

bool windowHasShortcut(const QWidget* window, const QKeySequence& key) {
    for (const QAction* action : window->findChildren<QAction*>())
        if (action->isEnabled() && action->shortcuts().contains(key)) return true;
    for (const QAction* action : window->actions())
        if (action->isEnabled() && action->shortcuts().contains(key)) return true;
    return false;
}

}  // namespace

ShortcutFilter::ShortcutFilter(QWidget* window, QObject* parent) : QObject(parent), m_window(window) {}

bool ShortcutFilter::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() != QEvent::ShortcutOverride) return QObject::eventFilter(watched, event);
    const auto* key = static_cast<QKeyEvent*>(event);
    const QKeySequence sequence(key->keyCombination());
    if (key->modifiers() == Qt::NoModifier || key->modifiers() == Qt::ShiftModifier) {
        // Plain typing stays the box's, except the keys it has no use for (Page Up/Down, F-keys).
        if (key->key() != Qt::Key_PageUp && key->key() != Qt::Key_PageDown && (key->key() < Qt::Key_F1 || key->key() > Qt::Key_F35))
            return false;
    }
    if (isEditingKey(sequence) || !windowHasShortcut(m_window, sequence)) return false;
    event->ignore();  // not overridden: the shortcut fires
    return true;
}

}  // namespace attnscope::ui
