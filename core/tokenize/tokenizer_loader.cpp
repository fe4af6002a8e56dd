#include "tokenize/tokenizer_loader.h"

#include "util/json_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTextStream>

namespace attnscope::core {
namespace {

Error tokError(const QString& file, const QString& what) {
    return inputError(QStringLiteral("%1: %2").arg(file, what));
}

// A special token named in tokenizer_config.json: a string or {"content": ...}.
QString configToken(const QJsonObject& cfg, const char* key, const QString& fallback) {
    const QJsonValue v = cfg.value(QLatin1String(key));
    if (v.isString()) return v.toString();
    if (v.isObject()) return v.toObject().value(QStringLiteral("content")).toString(fallback);
    return fallback;
}

void addSpecial(Tokenizer& t, const QString& content, bool lstrip = false) {
    const int id = t.id(content);
    if (id < 0) return;
    SpecialToken s;
    s.content = content;
    s.id = id;
    s.lstrip = lstrip;
    t.addSpecial(s);
}

Result<std::shared_ptr<const Tokenizer>> wordPieceFromVocab(const QStringList& vocab, const QJsonObject& cfg) {
    auto model = std::make_unique<WordPieceModel>();
    int id = 0;
    if (vocab.size() > Vocabulary::kMaxId + 1)
        return tokError(QStringLiteral("vocab.txt"), QStringLiteral("%1 lines is more than the limit of %2 tokens").arg(vocab.size()).arg(Vocabulary::kMaxId + 1));
    for (const QString& token : vocab) model->vocabulary().add(token, id++);
    if (id == 0) return tokError(QStringLiteral("vocab.txt"), QStringLiteral("the vocabulary is empty"));
    model->unkToken = configToken(cfg, "unk_token", QStringLiteral("[UNK]"));
    if (!model->vocabulary().contains(model->unkToken))
        return tokError(QStringLiteral("vocab.txt"), QStringLiteral("no unknown token '%1'").arg(model->unkToken));
    auto tok = std::make_shared<Tokenizer>(std::move(model));
    BertNormalizerOptions options;
    options.lowercase = cfg.value(QStringLiteral("do_lower_case")).toBool(true);
    if (cfg.value(QStringLiteral("strip_accents")).isBool()) options.stripAccents = cfg.value(QStringLiteral("strip_accents")).toBool();
    options.handleChineseChars = cfg.value(QStringLiteral("tokenize_chinese_chars")).toBool(true);
    tok->normalizers = {bertNormalizer(options)};
    tok->preTokenizers = {bertPreTokenizer()};
    tok->kind = options.lowercase ? QStringLiteral("WordPiece, uncased") : QStringLiteral("WordPiece, cased");
    const QString cls = configToken(cfg, "cls_token", QStringLiteral("[CLS]"));
    const QString sep = configToken(cfg, "sep_token", QStringLiteral("[SEP]"));
    for (const char* key : {"pad_token", "unk_token", "cls_token", "sep_token", "mask_token"})
        addSpecial(*tok, configToken(cfg, key, QString()));
    for (const char* name : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) addSpecial(*tok, QLatin1String(name));
    if (tok->id(cls) < 0 || tok->id(sep) < 0)
        return tokError(QStringLiteral("vocab.txt"), QStringLiteral("no '%1' or '%2' token").arg(cls, sep));
    tok->templatePrefix = {tok->id(cls)};
    tok->templateSuffix = {tok->id(sep)};
    return std::shared_ptr<const Tokenizer>(tok);
}

Result<std::shared_ptr<const Tokenizer>> loadVocabTxt(const QString& dir, const QJsonObject& cfg) {
    auto bytes = readInputFile(QDir(dir).filePath(QStringLiteral("vocab.txt")), kMaxTokenizerBytes);
    if (!bytes) return bytes.error();
    QStringList vocab;
    const QList<QByteArray> lines = bytes->split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i + 1 == lines.size() && lines[i].isEmpty()) break;  // the final newline
        QString line = QString::fromUtf8(lines[i]);
        while (line.endsWith(QLatin1Char('\n')) || line.endsWith(QLatin1Char('\r'))) line.chop(1);
        vocab << line;
    }
    return wordPieceFromVocab(vocab, cfg);
}

Status readMerges(const QString& path, BpeModel& model) {
    auto bytes = readInputFile(path, kMaxTokenizerBytes);
    if (!bytes) return bytes.error();
    int rank = 0, lineNo = 0;
    for (const QByteArray& raw : bytes->split('\n')) {
        QString line = QString::fromUtf8(raw);
        ++lineNo;
        while (line.endsWith(QLatin1Char('\n')) || line.endsWith(QLatin1Char('\r'))) line.chop(1);
        if (line.isEmpty() || (lineNo == 1 && line.startsWith(QLatin1String("#version")))) continue;
        const QStringList parts = line.split(QLatin1Char(' '));
        if (parts.size() != 2)
            return tokError(QStringLiteral("merges.txt"), QStringLiteral("line %1 is not two symbols").arg(lineNo));
        if (!model.addMerge(parts[0], parts[1], rank++))
            return tokError(QStringLiteral("merges.txt"), QStringLiteral("line %1 merges '%2' and '%3', but vocab.json lacks one of them or '%2%3'")
                                                           .arg(lineNo).arg(parts[0], parts[1]));
    }
    return {};
}

Status readVocabJson(const QJsonObject& vocab, const QString& file, Vocabulary& out) {
    if (vocab.isEmpty()) return tokError(file, QStringLiteral("the vocabulary is empty"));
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        if (!it.value().isDouble() || it.value().toInt(-1) < 0)
            return tokError(file, QStringLiteral("id of '%1' is not a non-negative integer").arg(it.key()));
        if (!out.add(it.key(), it.value().toInt()))
            return tokError(file, QStringLiteral("id %1 of '%2' is above the limit of %3").arg(it.value().toInt()).arg(it.key()).arg(Vocabulary::kMaxId));
    }
    return {};
}

void setRobertaTemplate(Tokenizer& t, const QJsonObject& cfg) {
    const QString bos = configToken(cfg, "cls_token", configToken(cfg, "bos_token", QStringLiteral("<s>")));
    const QString eos = configToken(cfg, "sep_token", configToken(cfg, "eos_token", QStringLiteral("</s>")));
    if (t.id(bos) >= 0 && t.id(eos) >= 0) {
        t.templatePrefix = {t.id(bos)};
        t.templateSuffix = {t.id(eos)};
    }
}

Result<std::shared_ptr<const Tokenizer>> loadBpeFiles(const QString& dir, const QJsonObject& cfg,
                                                      const QString& modelType) {
    auto vocab = readJsonObject(QDir(dir).filePath(QStringLiteral("vocab.json")), kMaxTokenizerBytes);
    if (!vocab) return vocab.error();
    auto model = std::make_unique<BpeModel>();
    if (Status s = readVocabJson(*vocab, QStringLiteral("vocab.json"), model->vocabulary()); !s) return s.error();
    if (Status s = readMerges(QDir(dir).filePath(QStringLiteral("merges.txt")), *model); !s) return s.error();
    auto tok = std::make_shared<Tokenizer>(std::move(model));
    tok->preTokenizers = {byteLevelPreTokenizer(cfg.value(QStringLiteral("add_prefix_space")).toBool(false), true)};
    tok->tokenText = Tokenizer::TokenText::ByteLevel;
    tok->trimOffsets = true;
    tok->kind = QStringLiteral("byte-level BPE");
    const bool roberta = modelType == QLatin1String("roberta") ||
                         cfg.value(QStringLiteral("tokenizer_class")).toString().startsWith(QLatin1String("Roberta"));
    for (const char* key : {"bos_token", "eos_token", "unk_token", "pad_token", "cls_token", "sep_token"})
        addSpecial(*tok, configToken(cfg, key, QString()));
    addSpecial(*tok, configToken(cfg, "mask_token", QStringLiteral("<mask>")), true);
    addSpecial(*tok, QStringLiteral("<|endoftext|>"));
    if (roberta) {
        for (const char* name : {"<s>", "</s>", "<pad>", "<unk>"}) addSpecial(*tok, QLatin1String(name));
        setRobertaTemplate(*tok, cfg);
    }
    return std::shared_ptr<const Tokenizer>(tok);
}

}  // namespace

Result<std::shared_ptr<const Tokenizer>> makeWordPieceTokenizer(const QStringList& vocab, bool lowercase) {
    return wordPieceFromVocab(vocab, QJsonObject{{"do_lower_case", lowercase}});
}

Result<std::shared_ptr<const Tokenizer>> loadTokenizer(const QString& folder) {
    const QDir dir(folder);
    if (!dir.exists()) return inputError(QStringLiteral("%1: no such folder").arg(folder));
    QString modelType;
    if (QFileInfo::exists(dir.filePath(QStringLiteral("config.json")))) {
        auto config = readJsonObject(dir.filePath(QStringLiteral("config.json")));
        if (config) modelType = config->value(QStringLiteral("model_type")).toString();
    }
    QJsonObject cfg;
    if (QFileInfo::exists(dir.filePath(QStringLiteral("tokenizer_config.json")))) {
        auto json = readJsonObject(dir.filePath(QStringLiteral("tokenizer_config.json")));
        if (!json) return json.error();
        cfg = *json;
    }
    if (QFileInfo::exists(dir.filePath(QStringLiteral("tokenizer.json")))) {
        auto json = readJsonObject(dir.filePath(QStringLiteral("tokenizer.json")), kMaxTokenizerBytes);
        if (!json) return json.error();
        return parseTokenizerJson(*json, cfg);
    }
    if (QFileInfo::exists(dir.filePath(QStringLiteral("vocab.txt")))) return loadVocabTxt(folder, cfg);
    if (QFileInfo::exists(dir.filePath(QStringLiteral("vocab.json"))) &&
        QFileInfo::exists(dir.filePath(QStringLiteral("merges.txt"))))
        return loadBpeFiles(folder, cfg, modelType);
    return inputError(QStringLiteral("%1: missing vocabulary (no tokenizer.json, vocab.txt, or vocab.json + "
                                     "merges.txt)")
                          .arg(folder));
}

}  // namespace attnscope::core
