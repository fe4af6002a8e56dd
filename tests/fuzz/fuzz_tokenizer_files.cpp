// Tokenizer files: the first byte picks tokenizer.json, vocab.txt (+ tokenizer_config.json) or
// vocab.json + merges.txt (split at the first NUL); the files are loaded from a folder as a model's
// would be, then used on a few texts.
#include "fuzz_common.h"
#include "tokenize/tokenizer_loader.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace {
QTemporaryDir* g_dir = nullptr;

void put(const QString& name, const QByteArray& bytes) {
    QFile f(g_dir->filePath(name));
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate)) f.write(bytes);
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    attnscope::fuzz::setUp();
    g_dir = new QTemporaryDir;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace attnscope::core;
    if (size < 1) return 0;
    for (const QString& f : QDir(g_dir->path()).entryList(QDir::Files)) QFile::remove(g_dir->filePath(f));
    const QByteArray body = attnscope::fuzz::bytes(data + 1, size - 1);
    const int nul = int(body.indexOf('\0'));
    const QByteArray first = nul < 0 ? body : body.left(nul), second = nul < 0 ? QByteArray() : body.mid(nul + 1);
    switch (data[0] % 3) {
        case 0: put(QStringLiteral("tokenizer.json"), body); break;
        case 1:
            put(QStringLiteral("vocab.txt"), first);
            if (!second.isEmpty()) put(QStringLiteral("tokenizer_config.json"), second);
            break;
        default:
            put(QStringLiteral("vocab.json"), first);
            put(QStringLiteral("merges.txt"), second);
            break;
    }
    auto tok = loadTokenizer(g_dir->path());
    if (!tok) return 0;
    for (const char* text : {"The animal didn't cross the road because it was tired.", " ", "a\xef\xbb\xbf" "b [MASK] <mask> <s>"}) {
        auto enc = (*tok)->encode(QString::fromUtf8(text));
        if (!enc) continue;
        if (enc->tokens.size() != enc->size() || enc->offsets.size() != size_t(enc->size())) __builtin_trap();
        for (int id : enc->ids) (void)(*tok)->display(id);
    }
    return 0;
}
