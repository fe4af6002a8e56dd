// tokenizer.json (the Hugging Face tokenizers library's format) -> Tokenizer: added tokens,
// normalizers, pre-tokenizers, the model (BPE, WordPiece), the post-processor's template, and
// tokenizer_config.json's add_bos_token / add_eos_token where that template is silent.
#include "tokenize/tokenizer_json_steps.h"
#include "tokenize/tokenizer_loader.h"
#include "tokenize/unigram_model.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace attnscope::core {
namespace {

const QString kFile = QStringLiteral("tokenizer.json");

Error jsonError(const QString& what) { return inputError(kFile + QStringLiteral(": ") + what); }

QString typeOf(const QJsonValue& v) { return v.toObject().value(QStringLiteral("type")).toString(); }

// Components may be wrapped in a Sequence; returns the members (or the value itself).
QJsonArray members(const QJsonValue& v, const char* listKey) {
    if (typeOf(v) == QLatin1String("Sequence")) return v.toObject().value(QLatin1String(listKey)).toArray();
    return v.isNull() || v.isUndefined() ? QJsonArray() : QJsonArray{v};
}

Status readVocab(const QJsonObject& vocab, SubwordModel& model) {
    if (vocab.isEmpty()) return jsonError(QStringLiteral("model.vocab is missing or empty"));
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        if (!it.value().isDouble() || it.value().toInt(-1) < 0)
            return jsonError(QStringLiteral("id of '%1' is not a non-negative integer").arg(it.key()));
        if (!model.vocabulary().add(it.key(), it.value().toInt()))
            return jsonError(QStringLiteral("id %1 of '%2' is above the limit of %3").arg(it.value().toInt()).arg(it.key()).arg(Vocabulary::kMaxId));
    }
    return {};
}

Result<std::unique_ptr<SubwordModel>> parseModel(const QJsonObject& m) {
    const QString type = m.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("WordPiece")) {
        auto wp = std::make_unique<WordPieceModel>();
        if (Status s = readVocab(m.value(QStringLiteral("vocab")).toObject(), *wp); !s) return s.error();
        wp->unkToken = m.value(QStringLiteral("unk_token")).toString(QStringLiteral("[UNK]"));
        wp->prefix = m.value(QStringLiteral("continuing_subword_prefix")).toString(QStringLiteral("##"));
        wp->maxChars = m.value(QStringLiteral("max_input_chars_per_word")).toInt(100);
        return std::unique_ptr<SubwordModel>(std::move(wp));
    }
    if (type == QLatin1String("Unigram")) {
        auto uni = std::make_unique<UnigramModel>();
        const QJsonArray vocab = m.value(QStringLiteral("vocab")).toArray();
        if (vocab.isEmpty()) return jsonError(QStringLiteral("model.vocab is missing or empty"));
        if (vocab.size() > Vocabulary::kMaxId + 1) return jsonError(QStringLiteral("the vocabulary is larger than %1 tokens").arg(Vocabulary::kMaxId + 1));
        for (qsizetype i = 0; i < vocab.size(); ++i) {
            const QJsonArray entry = vocab[i].toArray();
            if (entry.size() != 2 || !entry[0].isString() || !entry[1].isDouble())
                return jsonError(QStringLiteral("Unigram vocab entry %1 is not [piece, score]").arg(i));
            uni->addPiece(entry[0].toString(), int(i), entry[1].toDouble());
        }
        uni->unkId = m.value(QStringLiteral("unk_id")).toInt(-1);
        if (uni->unkId >= vocab.size()) return jsonError(QStringLiteral("unk_id %1 is not in the vocabulary").arg(uni->unkId));
        uni->byteFallback = m.value(QStringLiteral("byte_fallback")).toBool(false);
        return std::unique_ptr<SubwordModel>(std::move(uni));
    }
    if (type != QLatin1String("BPE") && !(type.isEmpty() && m.contains(QStringLiteral("merges"))))
        return jsonError(QStringLiteral("model type '%1' is not supported (BPE, WordPiece, Unigram)").arg(type));
    auto bpe = std::make_unique<BpeModel>();
    if (Status s = readVocab(m.value(QStringLiteral("vocab")).toObject(), *bpe); !s) return s.error();
    bpe->unkToken = m.value(QStringLiteral("unk_token")).toString();
    bpe->byteFallback = m.value(QStringLiteral("byte_fallback")).toBool(false);
    bpe->fuseUnk = m.value(QStringLiteral("fuse_unk")).toBool(false);
    bpe->ignoreMerges = m.value(QStringLiteral("ignore_merges")).toBool(false);
    bpe->continuingPrefix = m.value(QStringLiteral("continuing_subword_prefix")).toString();
    bpe->endOfWordSuffix = m.value(QStringLiteral("end_of_word_suffix")).toString();
    if (!bpe->unkToken.isEmpty() && bpe->vocabulary().id(bpe->unkToken) < 0)
        return jsonError(QStringLiteral("the unknown token '%1' is not in the vocabulary").arg(bpe->unkToken));
    int rank = 0;
    for (const QJsonValue& merge : m.value(QStringLiteral("merges")).toArray()) {
        QStringList pair;
        if (merge.isString()) {
            const QString s = merge.toString();
            const qsizetype space = s.indexOf(QLatin1Char(' '));
            if (space > 0) pair = QStringList{s.left(space), s.mid(space + 1)};
        } else {
            for (const QJsonValue& part : merge.toArray()) pair << part.toString();
        }
        if (pair.size() != 2 || pair[0].isEmpty() || pair[1].isEmpty())
            return jsonError(QStringLiteral("merge %1 is not a pair of symbols").arg(rank));
        if (!bpe->addMerge(pair[0], pair[1], rank))
            return jsonError(QStringLiteral("merge %1 ('%2' '%3') names a token that is not in the vocabulary").arg(rank).arg(pair[0], pair[1]));
        ++rank;
    }
    return std::unique_ptr<SubwordModel>(std::move(bpe));
}

// TemplateProcessing / BertProcessing / RobertaProcessing -> ids before and after the text;
// ByteLevel / RobertaProcessing -> offset trimming. Returns whether the text gets a template.
Result<bool> parsePostProcessor(const QJsonValue& value, Tokenizer& t) {
    bool hasTemplate = false;
    for (const QJsonValue& v : members(value, "processors")) {
        const QJsonObject p = v.toObject();
        const QString type = typeOf(v);
        if (type == QLatin1String("BertProcessing") || type == QLatin1String("RobertaProcessing")) {
            t.templatePrefix = {p.value(QStringLiteral("cls")).toArray().at(1).toInt()};
            t.templateSuffix = {p.value(QStringLiteral("sep")).toArray().at(1).toInt()};
            if (type == QLatin1String("RobertaProcessing")) t.trimOffsets = p.value(QStringLiteral("trim_offsets")).toBool(true);
            hasTemplate = true;
        } else if (type == QLatin1String("TemplateProcessing")) {
            const QJsonObject specials = p.value(QStringLiteral("special_tokens")).toObject();
            bool afterText = false;
            t.templatePrefix.clear();
            t.templateSuffix.clear();
            for (const QJsonValue& item : p.value(QStringLiteral("single")).toArray()) {
                const QJsonObject o = item.toObject();
                if (o.contains(QStringLiteral("Sequence"))) {
                    afterText = true;
                    continue;
                }
                const QString name = o.value(QStringLiteral("SpecialToken")).toObject().value(QStringLiteral("id")).toString();
                const QJsonArray ids = specials.value(name).toObject().value(QStringLiteral("ids")).toArray();
                if (ids.isEmpty()) return jsonError(QStringLiteral("template token '%1' has no id").arg(name));
                for (const QJsonValue& id : ids) (afterText ? t.templateSuffix : t.templatePrefix).push_back(id.toInt());
            }
            hasTemplate = true;
        } else if (type == QLatin1String("ByteLevel")) {
            t.trimOffsets = p.value(QStringLiteral("trim_offsets")).toBool(true);
        } else {
            return jsonError(QStringLiteral("post_processor '%1' is not supported (TemplateProcessing, BertProcessing, "
                                            "RobertaProcessing, ByteLevel, Sequence)")
                                 .arg(type));
        }
    }
    return hasTemplate;
}

// A special token named in tokenizer_config.json: a string or {"content": ...}.
QString configToken(const QJsonObject& cfg, const char* key) {
    const QJsonValue v = cfg.value(QLatin1String(key));
    return v.isObject() ? v.toObject().value(QStringLiteral("content")).toString() : v.toString();
}

Tokenizer::TokenText tokenTextOf(const QJsonObject& json) {
    const QByteArray decoder = QJsonDocument(json.value(QStringLiteral("decoder")).toObject()).toJson(QJsonDocument::Compact);
    const QByteArray pre = QJsonDocument(json.value(QStringLiteral("pre_tokenizer")).toObject()).toJson(QJsonDocument::Compact);
    if (decoder.contains("\"ByteLevel\"") || (decoder.isEmpty() && pre.contains("\"ByteLevel\""))) return Tokenizer::TokenText::ByteLevel;
    if (decoder.contains("\"Metaspace\"") || decoder.contains("\u2581") || pre.contains("\"Metaspace\"")) return Tokenizer::TokenText::Metaspace;
    if (pre.contains("\"ByteLevel\"")) return Tokenizer::TokenText::ByteLevel;
    return Tokenizer::TokenText::Plain;
}

}  // namespace

Result<std::shared_ptr<const Tokenizer>> parseTokenizerJson(const QJsonObject& json, const QJsonObject& config) {
    auto model = parseModel(json.value(QStringLiteral("model")).toObject());
    if (!model) return model.error();
    const bool wordPiece = dynamic_cast<WordPieceModel*>(model->get()) != nullptr;
    const auto* bpe = dynamic_cast<const BpeModel*>(model->get());
    auto tok = std::make_shared<Tokenizer>(std::move(model).value());

    auto normalizers = parseNormalizers(json.value(QStringLiteral("normalizer")));
    if (!normalizers) return normalizers.error();
    tok->normalizers = std::move(normalizers).value();
    auto pre = parsePreTokenizers(json.value(QStringLiteral("pre_tokenizer")));
    if (!pre) return pre.error();
    tok->preTokenizers = std::move(pre).value();
    tok->tokenText = tokenTextOf(json);
    const QByteArray normalizerText = QJsonDocument(json.value(QStringLiteral("normalizer")).toObject()).toJson(QJsonDocument::Compact);
    if (wordPiece)
        tok->kind = normalizerText.contains("\"lowercase\":false") || normalizerText.isEmpty() ? QStringLiteral("WordPiece, cased")
                                                                                               : QStringLiteral("WordPiece, uncased");
    else if (tok->tokenText == Tokenizer::TokenText::ByteLevel)
        tok->kind = QStringLiteral("byte-level BPE");
    else if (dynamic_cast<const UnigramModel*>(&tok->model()))
        tok->kind = QStringLiteral("Unigram");
    else
        tok->kind = bpe && bpe->byteFallback ? QStringLiteral("BPE with byte fallback") : QStringLiteral("BPE");

    for (const QJsonValue& v : json.value(QStringLiteral("added_tokens")).toArray()) {
        const QJsonObject a = v.toObject();
        SpecialToken s;
        s.content = a.value(QStringLiteral("content")).toString();
        s.id = a.value(QStringLiteral("id")).toInt(-1);
        if (s.content.isEmpty() || s.id < 0) return jsonError(QStringLiteral("an added token has no content or id"));
        if (s.id > Vocabulary::kMaxId)
            return jsonError(QStringLiteral("added token '%1' has id %2, above the limit of %3").arg(s.content).arg(s.id).arg(Vocabulary::kMaxId));
        s.lstrip = a.value(QStringLiteral("lstrip")).toBool();
        s.rstrip = a.value(QStringLiteral("rstrip")).toBool();
        s.singleWord = a.value(QStringLiteral("single_word")).toBool();
        s.special = a.value(QStringLiteral("special")).toBool(true);
        if (tok->id(s.content) != s.id) tok->addToken(s.content, s.id);
        tok->addSpecial(s);
    }
    auto hasTemplate = parsePostProcessor(json.value(QStringLiteral("post_processor")), *tok);
    if (!hasTemplate) return hasTemplate.error();
    if (!*hasTemplate) {  // the file's template is silent: tokenizer_config.json decides
        const int bos = tok->id(configToken(config, "bos_token")), eos = tok->id(configToken(config, "eos_token"));
        if (config.value(QStringLiteral("add_bos_token")).toBool(false) && bos >= 0) tok->templatePrefix = {bos};
        if (config.value(QStringLiteral("add_eos_token")).toBool(false) && eos >= 0) tok->templateSuffix = {eos};
    }
    for (int id : tok->templatePrefix)
        if (tok->token(id).isEmpty()) return jsonError(QStringLiteral("template id %1 is not in the vocabulary").arg(id));
    for (int id : tok->templateSuffix)
        if (tok->token(id).isEmpty()) return jsonError(QStringLiteral("template id %1 is not in the vocabulary").arg(id));
    return std::shared_ptr<const Tokenizer>(tok);
}

}  // namespace attnscope::core
