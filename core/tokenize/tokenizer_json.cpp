// tokenizer.json (the Hugging Face tokenizers library's format) -> Tokenizer.
#include "tokenize/tokenizer_loader.h"

#include <QJsonArray>

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

Result<std::unique_ptr<SubwordModel>> parseModel(const QJsonObject& m) {
    const QString type = m.value(QStringLiteral("type")).toString();
    const QJsonObject vocab = m.value(QStringLiteral("vocab")).toObject();
    if (vocab.isEmpty()) return jsonError(QStringLiteral("model.vocab is missing or empty"));
    std::unique_ptr<SubwordModel> model;
    if (type == QLatin1String("WordPiece")) {
        auto wp = std::make_unique<WordPieceModel>();
        wp->unkToken = m.value(QStringLiteral("unk_token")).toString(QStringLiteral("[UNK]"));
        wp->prefix = m.value(QStringLiteral("continuing_subword_prefix")).toString(QStringLiteral("##"));
        wp->maxChars = m.value(QStringLiteral("max_input_chars_per_word")).toInt(100);
        model = std::move(wp);
    } else if (type == QLatin1String("BPE")) {
        auto bpe = std::make_unique<BpeModel>();
        bpe->unkToken = m.value(QStringLiteral("unk_token")).toString();
        int rank = 0;
        for (const QJsonValue& merge : m.value(QStringLiteral("merges")).toArray()) {
            QStringList pair;
            if (merge.isString()) pair = merge.toString().split(QLatin1Char(' '));
            else for (const QJsonValue& s : merge.toArray()) pair << s.toString();
            if (pair.size() != 2) return jsonError(QStringLiteral("merge %1 is not a pair of symbols").arg(rank));
            bpe->addMerge(pair[0], pair[1], rank++);
        }
        model = std::move(bpe);
    } else {
        return jsonError(QStringLiteral("model type '%1' is not supported (WordPiece, BPE)").arg(type));
    }
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        if (!it.value().isDouble() || it.value().toInt(-1) < 0)
            return jsonError(QStringLiteral("id of '%1' is not a non-negative integer").arg(it.key()));
        if (!model->vocabulary().add(it.key(), it.value().toInt()))
            return jsonError(QStringLiteral("id %1 of '%2' is above the limit of %3").arg(it.value().toInt()).arg(it.key()).arg(Vocabulary::kMaxId));
    }
    return model;
}

Status parseNormalizer(const QJsonValue& value, BertNormalizerOptions& o) {
    const QJsonArray list = members(value, "normalizers");
    if (list.isEmpty()) {
        o.enabled = false;
        return {};
    }
    o = BertNormalizerOptions{false, false, false, false, true};
    for (const QJsonValue& v : list) {
        const QJsonObject n = v.toObject();
        const QString type = typeOf(v);
        if (type == QLatin1String("BertNormalizer")) {
            o.cleanText = n.value(QStringLiteral("clean_text")).toBool(true);
            o.handleChineseChars = n.value(QStringLiteral("handle_chinese_chars")).toBool(true);
            o.lowercase = n.value(QStringLiteral("lowercase")).toBool(true);
            const QJsonValue strip = n.value(QStringLiteral("strip_accents"));
            o.stripAccents = strip.isBool() ? std::optional<bool>(strip.toBool()) : std::nullopt;
        } else if (type == QLatin1String("Lowercase")) {
            o.lowercase = true;
        } else if (type == QLatin1String("StripAccents")) {
            o.stripAccents = true;
        } else if (type != QLatin1String("NFD") && type != QLatin1String("NFC") && type != QLatin1String("NFKC")) {
            return jsonError(QStringLiteral("normalizer '%1' is not supported").arg(type));
        }
    }
    return {};
}

// TemplateProcessing / BertProcessing / RobertaProcessing -> ids before and after the text.
Status parsePostProcessor(const QJsonValue& value, Tokenizer& t) {
    for (const QJsonValue& v : members(value, "processors")) {
        const QJsonObject p = v.toObject();
        const QString type = typeOf(v);
        if (type == QLatin1String("BertProcessing") || type == QLatin1String("RobertaProcessing")) {
            t.templatePrefix = {p.value(QStringLiteral("cls")).toArray().at(1).toInt()};
            t.templateSuffix = {p.value(QStringLiteral("sep")).toArray().at(1).toInt()};
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
        } else if (type != QLatin1String("ByteLevel")) {
            return jsonError(QStringLiteral("post_processor '%1' is not supported").arg(type));
        }
    }
    return {};
}

}  // namespace

Result<std::shared_ptr<const Tokenizer>> parseTokenizerJson(const QJsonObject& json) {
    auto model = parseModel(json.value(QStringLiteral("model")).toObject());
    if (!model) return model.error();
    const bool wordPiece = dynamic_cast<WordPieceModel*>(model->get()) != nullptr;

    // The pre-tokenizer must fit the model: BertPreTokenizer for WordPiece, ByteLevel for BPE.
    bool sawBert = false, sawByteLevel = false, prefixSpace = false;
    for (const QJsonValue& v : members(json.value(QStringLiteral("pre_tokenizer")), "pretokenizers")) {
        const QString type = typeOf(v);
        if (type == QLatin1String("BertPreTokenizer")) {
            sawBert = true;
        } else if (type == QLatin1String("ByteLevel")) {
            sawByteLevel = true;
            prefixSpace = v.toObject().value(QStringLiteral("add_prefix_space")).toBool(false);
        } else {
            return jsonError(QStringLiteral("pre_tokenizer '%1' is not supported (BertPreTokenizer, ByteLevel)").arg(type));
        }
    }
    if (wordPiece && !sawBert) return jsonError(QStringLiteral("a WordPiece model needs the BertPreTokenizer"));
    if (!wordPiece && !sawByteLevel) return jsonError(QStringLiteral("a BPE model needs the ByteLevel pre-tokenizer"));

    auto tok = std::make_shared<Tokenizer>(std::move(model).value(),
                                           wordPiece ? Tokenizer::PreTokenizer::Bert : Tokenizer::PreTokenizer::ByteLevel);
    tok->addPrefixSpace = prefixSpace;
    if (wordPiece) {
        if (Status s = parseNormalizer(json.value(QStringLiteral("normalizer")), tok->normalizer); !s) return s.error();
    } else if (!members(json.value(QStringLiteral("normalizer")), "normalizers").isEmpty()) {
        return jsonError(QStringLiteral("normalizers before a byte-level BPE are not supported"));
    }
    for (const QJsonValue& v : json.value(QStringLiteral("added_tokens")).toArray()) {
        const QJsonObject a = v.toObject();
        const QString content = a.value(QStringLiteral("content")).toString();
        const int id = a.value(QStringLiteral("id")).toInt(-1);
        if (content.isEmpty() || id < 0) return jsonError(QStringLiteral("an added token has no content or id"));
        if (id > Vocabulary::kMaxId)
            return jsonError(QStringLiteral("added token '%1' has id %2, above the limit of %3").arg(content).arg(id).arg(Vocabulary::kMaxId));
        if (tok->id(content) != id) tok->addToken(content, id);
        tok->specials.push_back({content, id, a.value(QStringLiteral("lstrip")).toBool(),
                                 a.value(QStringLiteral("rstrip")).toBool()});
    }
    if (Status s = parsePostProcessor(json.value(QStringLiteral("post_processor")), *tok); !s) return s.error();
    for (int id : tok->templatePrefix)
        if (tok->token(id).isEmpty()) return jsonError(QStringLiteral("template id %1 is not in the vocabulary").arg(id));
    for (int id : tok->templateSuffix)
        if (tok->token(id).isEmpty()) return jsonError(QStringLiteral("template id %1 is not in the vocabulary").arg(id));
    return std::shared_ptr<const Tokenizer>(tok);
}

}  // namespace attnscope::core
