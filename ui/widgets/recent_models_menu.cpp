#include "widgets/recent_models_menu.h"

#include <QSettings>

namespace attnscope::ui {
namespace {

const QString kKey = QStringLiteral("recentModels");
constexpr int kKept = 8;

}  // namespace

RecentModelsMenu::RecentModelsMenu(const QString& title, QWidget* parent) : QMenu(title, parent) { rebuild(); }

void RecentModelsMenu::remember(const QString& source) {
    QSettings settings;
    QStringList recent = settings.value(kKey).toStringList();
    recent.removeAll(source);
    recent.prepend(source);
    settings.setValue(kKey, recent.mid(0, kKept));
    rebuild();
}

void RecentModelsMenu::rebuild() {
    clear();
    const QStringList recent = QSettings().value(kKey).toStringList();
    for (const QString& source : recent) addAction(source, this, [this, source] { Q_EMIT chosen(source); });
    setEnabled(!recent.isEmpty());
}

}  // namespace attnscope::ui
