#pragma once

#include <QString>

class QWidget;

namespace attnscope::ui {

// The file dialogs, each opening in the folder last used for its kind of file ("export", "data",
// "session", "image", "model", "trained"), remembered across runs (QSettings "folders/<kind>").
QString lastFolder(const QString& kind);
void rememberFolder(const QString& kind, const QString& fileOrFolder);

QString askSaveFile(QWidget* parent, const QString& title, const QString& kind, const QString& fileName, const QString& filter,
                    QString* selectedFilter = nullptr);
QString askOpenFile(QWidget* parent, const QString& title, const QString& kind, const QString& filter = QString());
QString askFolder(QWidget* parent, const QString& title, const QString& kind);
// "Images (*.png *.jpg ...)": every format this Qt reads.
QString imageFileFilter();
// "AttnScope traces (*.safetensors *.json)": a trace file or a sharded trace's index.
QString traceFileFilter();

}  // namespace attnscope::ui
