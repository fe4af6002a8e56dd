// attnscope: the desktop app.
#include "widgets/main_window.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("AttnScope"));
    QApplication::setOrganizationName(QStringLiteral("AttnScope"));
    QApplication::setApplicationVersion(QStringLiteral(ATTNSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("See what every attention head of a transformer does."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("model"), QStringLiteral("Open this Hugging Face model folder."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("Start with this text."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("view"), QStringLiteral("Start on this view: links, heatmap or grid."), QStringLiteral("VIEW")});
    parser.process(app);

    attnscope::ui::MainWindow window;
    window.show();
    if (parser.isSet(QStringLiteral("view"))) window.showView(parser.value(QStringLiteral("view")));
    if (parser.isSet(QStringLiteral("text"))) window.setText(parser.value(QStringLiteral("text")));
    if (parser.isSet(QStringLiteral("model"))) window.openModel(parser.value(QStringLiteral("model")));
    return QApplication::exec();
}
