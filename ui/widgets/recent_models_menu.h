#pragma once

#include <QMenu>

namespace attnscope::ui {

// File > Open Recent: the last eight models opened, as the user named them (a folder, or a Hub id
// that reopens from the cache), kept in QSettings ("recentModels").
class RecentModelsMenu : public QMenu {
    Q_OBJECT

public:
    explicit RecentModelsMenu(const QString& title, QWidget* parent = nullptr);
    void remember(const QString& source);  // first in the list

Q_SIGNALS:
    void chosen(const QString& source);

private:
    void rebuild();
};

}  // namespace attnscope::ui
