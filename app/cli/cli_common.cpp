#include "cli_common.h"

#include "model/builtin_models.h"

#include <QFile>
#include <QTextStream>

#include <cstdio>

namespace attnscope::cli {

int fail(const core::Error& error) {
    QString line = error.message.simplified();
    std::fprintf(stderr, "attnscope-cli: %s\n", line.toUtf8().constData());
    return error.internal ? kExitInternal : kExitBadInput;
}

int usageError(const QString& message) { return fail(core::inputError(message)); }

int parseCommand(QCommandLineParser& parser, const QStringList& args, const QString& description) {
    parser.setApplicationDescription(description);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(args)) return usageError(parser.errorText() + QStringLiteral(" (see --help)"));
    if (parser.isSet(help)) {
        std::fputs(parser.helpText().toUtf8().constData(), stdout);
        return kExitOk;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().first()));
    return -1;
}

int intOption(const QCommandLineParser& parser, const QString& name, int fallback, int min, int max, QString* error) {
    if (!parser.isSet(name)) return fallback;
    bool ok = false;
    const int v = parser.value(name).toInt(&ok);
    if (!ok || v < min || v > max) {
        *error = QStringLiteral("--%1 must be an integer from %2 to %3, not '%4'").arg(name).arg(min).arg(max).arg(parser.value(name));
        return fallback;
    }
    return v;
}

core::Result<core::LoadedModel> loadModelOption(const QCommandLineParser& parser) {
    if (!parser.isSet(QStringLiteral("model"))) return core::loadBuiltinTeachingModel();
    return core::loadModelFolder(parser.value(QStringLiteral("model")));
}

core::Result<QString> textOption(const QCommandLineParser& parser) {
    if (!parser.isSet(QStringLiteral("text"))) return core::inputError(QStringLiteral("--text TEXT is required"));
    const QString text = parser.value(QStringLiteral("text"));
    if (text.trimmed().isEmpty()) return core::inputError(QStringLiteral("--text is empty"));
    return text;
}

core::Status Output::open(const QString& path) {
    m_path = path;
    if (path.isEmpty()) {
        auto out = std::make_unique<QFile>();
        if (!out->open(stdout, QIODevice::WriteOnly))
            return core::internalError(QStringLiteral("cannot write to standard output"));
        m_stdout = std::move(out);
        m_device = m_stdout.get();
        return {};
    }
    m_file = std::make_unique<QSaveFile>(path);
    if (!m_file->open(QIODevice::WriteOnly))
        return core::inputError(QStringLiteral("%1: cannot write (%2)").arg(path, m_file->errorString()));
    m_device = m_file.get();
    return {};
}

core::Status Output::commit() {
    if (m_file) {
        if (!m_file->commit())
            return core::inputError(QStringLiteral("%1: cannot write (%2)").arg(m_path, m_file->errorString()));
        return {};
    }
    static_cast<QFile*>(m_stdout.get())->flush();
    return {};
}

}  // namespace attnscope::cli
