// attnscope: the desktop app.
#include "kernels/kernels.h"
#include "widgets/lesson_panel.h"
#include "widgets/compare_page.h"
#include "trace/trace_file.h"
#include "widgets/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QScreen>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv) {
    attnscope::core::kernels::keepFreedMemoryMapped();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("AttnScope"));
    QApplication::setOrganizationName(QStringLiteral("AttnScope"));
    QApplication::setApplicationVersion(QStringLiteral(ATTNSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("See what every attention head of a transformer does."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("model"), QStringLiteral("Open this Hugging Face model folder (default: the built-in teaching model)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("Start with this text."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("image"), QStringLiteral("Start with this image (image models; default model: the built-in image teaching model)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("view"), QStringLiteral("Start on this view: links, heatmap, grid, qkv, aggregate, lens, compare or image."), QStringLiteral("VIEW")});
    parser.addOption({QStringLiteral("compare"), QStringLiteral("Compare the text with this one (opens the Compare view)."), QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("overlay"), QStringLiteral("Image view overlay: attention, rollout, dino or heads."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("presentation"), QStringLiteral("Start in presentation mode (full screen, large type; F11 leaves it).")});
    parser.addOption({QStringLiteral("dark"), QStringLiteral("Start with the dark theme.")});
    parser.addOption({QStringLiteral("analyses"), QStringLiteral("Start with the Analyses panel open (the head table).")});
    parser.addOption({QStringLiteral("lesson"), QStringLiteral("Start the lesson at step N (1 = the first) once the first analysis is in."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("screenshot"),
                      QStringLiteral("Save a picture of the window to FILE once the first analysis is shown, then quit."),
                      QStringLiteral("FILE")});
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("A saved session (FILE.attnscope), or a trace file (TRACE.safetensors, or a sharded trace's index .json) "
                                                "recorded by attnscope_export.py or attnscope-cli attention --save-trace."),
                                 QStringLiteral("[FILE]"));
    parser.process(app);

    attnscope::ui::MainWindow window;
    window.show();
    if (parser.isSet(QStringLiteral("dark"))) window.setDarkTheme(true);
    if (parser.isSet(QStringLiteral("presentation"))) window.setPresentationMode(true);
    if (parser.isSet(QStringLiteral("view"))) {
        const QString view = parser.value(QStringLiteral("view"));
        window.showView(view);
        // Image models open on the image view; the asked-for view wins once the model is in.
        QObject::connect(window.session(), &attnscope::ui::AnalysisSession::modelChanged, &window, [&window, view] { window.showView(view); },
                         Qt::SingleShotConnection);
        QObject::connect(window.session(), &attnscope::ui::AnalysisSession::traceOpened, &window, [&window, view] { window.showView(view); },
                         Qt::SingleShotConnection);
    }
    if (parser.isSet(QStringLiteral("overlay"))) {
        const QStringList names{QStringLiteral("attention"), QStringLiteral("rollout"), QStringLiteral("dino"), QStringLiteral("heads")};
        const int index = names.indexOf(parser.value(QStringLiteral("overlay")));
        if (index < 0) {
            std::fprintf(stderr, "attnscope: --overlay must be one of attention, rollout, dino, heads\n");
            return 2;
        }
        attnscope::ui::ImageOptions options = window.viewState()->imageOptions();
        options.overlay = attnscope::ui::ImageOverlay(index);
        window.viewState()->setImageOptions(options);
    }
    if (parser.isSet(QStringLiteral("lesson"))) {
        const int step = parser.value(QStringLiteral("lesson")).toInt() - 1;
        QObject::connect(window.session(), &attnscope::ui::AnalysisSession::resultReady, &window, [&window, step] {
            window.setLessonVisible(true);
            window.lesson()->setStep(step);
        }, Qt::SingleShotConnection);
    }
    if (parser.isSet(QStringLiteral("analyses"))) window.setAnalysesVisible(true);
    if (parser.isSet(QStringLiteral("compare"))) {
        const QString b = parser.value(QStringLiteral("compare"));
        QObject::connect(window.session(), &attnscope::ui::AnalysisSession::modelChanged, &window, [&window, b] {
            window.comparePage()->setTextB(b);
            window.showView(QStringLiteral("compare"));
        }, Qt::SingleShotConnection);
    }
    if (parser.isSet(QStringLiteral("text"))) window.setText(parser.value(QStringLiteral("text")));
    const QString image = parser.value(QStringLiteral("image"));
    if (!parser.positionalArguments().isEmpty()) {
        const QString file = parser.positionalArguments().first();
        if (attnscope::core::isTraceFile(file)) window.openTrace(file);
        else window.openSession(file);
    } else if (parser.isSet(QStringLiteral("model"))) {
        if (!image.isEmpty())  // once the model is in, so its error (or a bad image's) stays in view
            QObject::connect(window.session(), &attnscope::ui::AnalysisSession::modelChanged, &window,
                             [&window, image] { window.openImage(image); }, Qt::SingleShotConnection);
        window.openModel(parser.value(QStringLiteral("model")));
    } else if (!image.isEmpty()) {
        window.openBuiltinImageModel(image);  // a bad image shows its error; no example replaces it
    } else {
        window.openBuiltinModel();
    }
    if (parser.isSet(QStringLiteral("screenshot"))) {
        const QString file = parser.value(QStringLiteral("screenshot"));
        auto save = [&window, file] {
            QTimer::singleShot(300, &window, [&window, file] {  // let the views paint first
                // Presentation mode fills the screen: the screen as it is (like `import -window root`).
                QScreen* screen = window.screen();
                const bool ok = (window.presentationMode() && screen ? screen->grabWindow(0) : window.grab()).save(file);
                if (!ok) std::fprintf(stderr, "attnscope: cannot write %s\n", qPrintable(file));
                QApplication::exit(ok ? 0 : 2);
            });
        };
        QObject::connect(window.session(), &attnscope::ui::AnalysisSession::resultReady, &window, save);
        auto failed = [](const QString& m) {
            std::fprintf(stderr, "attnscope: %s\n", qPrintable(m));
            QApplication::exit(2);
        };
        QObject::connect(window.session(), &attnscope::ui::AnalysisSession::modelFailed, &window, failed);
        QObject::connect(window.session(), &attnscope::ui::AnalysisSession::imageFailed, &window, failed);
        QObject::connect(window.session(), &attnscope::ui::AnalysisSession::analysisFailed, &window, failed);
        QObject::connect(window.session(), &attnscope::ui::AnalysisSession::traceFailed, &window, failed);
    }
    return QApplication::exec();
}
