#include "cli_common.h"
#include "commands.h"

#include "io/json_writer.h"
#include "io/trace_export.h"
#include "model/builtin_models.h"
#include "tokenize/tokenizer_loader.h"

namespace attnscope::cli {

int runTokenize(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("model"), QStringLiteral("Model folder (tokenizer files are enough; default: the built-in teaching model)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("The text to tokenize."), QStringLiteral("TEXT")});
    if (int status = parseCommand(parser, args, QStringLiteral("Prints {\"tokens\", \"ids\", \"offsets\"} as JSON; offsets are "
                                                               "[begin, end) in characters (code points) of the text."));
        status >= 0)
        return status;
    auto text = textOption(parser);
    if (!text) return fail(text.error());
    QString folder = core::builtinTeachingModelPath();
    if (parser.isSet(QStringLiteral("model"))) {  // a folder, or a Hub id
        auto resolved = downloadWithProgress(parser.value(QStringLiteral("model")), core::HubEnvironment::fromSystem());
        if (!resolved) return fail(resolved.error());
        folder = *resolved;
    }
    auto tokenizer = core::loadTokenizer(folder);
    if (!tokenizer) return fail(tokenizer.error());
    auto enc = (*tokenizer)->encode(*text);
    if (!enc) return fail(enc.error());

    Output out;
    if (core::Status s = out.open(QString()); !s) return fail(s.error());
    core::JsonWriter json(out.device());
    json.beginObject();
    core::writeEncodingFields(json, *enc);
    json.endObject();
    json.endLine();
    if (!json.flush()) return fail(core::internalError(QStringLiteral("cannot write to standard output")));
    if (core::Status s = out.commit(); !s) return fail(s.error());
    return kExitOk;
}

}  // namespace attnscope::cli
