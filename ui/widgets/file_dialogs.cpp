#include "widgets/file_dialogs.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QImageReader>
#include <QObject>
#include <QSettings>

namespace attnscope::ui {
namespace {
QString key(const QString& kind) { return QStringLiteral("folders/") + kind; }
}  // namespace

QString lastFolder(const QString& kind) {
    const QString folder = QSettings().value(key(kind)).toString();
    return !folder.isEmpty() && QFileInfo(folder).isDir() ? folder : QDir::homePath();
}

void rememberFolder(const QString& kind, const QString& fileOrFolder) {
    if (fileOrFolder.isEmpty()) return;
    const QFileInfo info(fileOrFolder);
    QSettings().setValue(key(kind), info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

QString askSaveFile(QWidget* parent, const QString& title, const QString& kind, const QString& fileName, const QString& filter,
                    QString* selectedFilter) {
    const QString path = QFileDialog::getSaveFileName(parent, title, QDir(lastFolder(kind)).filePath(fileName), filter, selectedFilter);
    rememberFolder(kind, path);
    return path;
}

QString askOpenFile(QWidget* parent, const QString& title, const QString& kind, const QString& filter) {
    const QString path = QFileDialog::getOpenFileName(parent, title, lastFolder(kind), filter);
    rememberFolder(kind, path);
    return path;
}

QString askFolder(QWidget* parent, const QString& title, const QString& kind) {
    const QString folder = QFileDialog::getExistingDirectory(parent, title, lastFolder(kind));
    rememberFolder(kind, folder);
    return folder;
}

QString imageFileFilter() {
    QStringList patterns;
    for (const QByteArray& f : QImageReader::supportedImageFormats()) patterns << QStringLiteral("*.") + QString::fromLatin1(f);
    return QObject::tr("Images (%1)").arg(patterns.join(QLatin1Char(' ')));
}

QString traceFileFilter() { return QObject::tr("AttnScope traces (*.safetensors *.json);;All files (*)"); }

}  // namespace attnscope::ui
