#pragma once

#include "tokenize/bert_pre_tokenizer.h"
#include "tokenize/subword_model.h"
#include "util/result.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <utility>
#include <vector>

namespace attnscope::core {

// The tokens of one input. offsets are [begin, end) in code points (Unicode characters) of the
// input text; template tokens added around it have [0, 0].
struct Encoding {
    std::vector<int> ids;
    QStringList tokens;  // vocabulary strings ("##ing", "Ġworld")
    std::vector<std::pair<int, int>> offsets;
    std::vector<bool> special;  // template or special token

    int size() const { return int(ids.size()); }
};

// A token matched verbatim in the input before normalisation ([MASK], <mask>, [SEP], ...).
struct SpecialToken {
    QString content;
    int id = 0;
    bool lstrip = false;  // also consumes whitespace on its left (RoBERTa's <mask>)
    bool rstrip = false;
};

// A complete text -> tokens pipeline: special tokens, normaliser + pre-tokenizer, sub-word model,
// and the template ([CLS] A [SEP], <s> A </s> or nothing).
class Tokenizer {
public:
    enum class PreTokenizer { Bert, ByteLevel };

    Tokenizer(std::unique_ptr<SubwordModel> model, PreTokenizer pre);

    // Configuration (set by the loader).
    BertNormalizerOptions normalizer;
    bool addPrefixSpace = false;  // ByteLevel only
    std::vector<SpecialToken> specials;
    std::vector<int> templatePrefix;  // ids before the text
    std::vector<int> templateSuffix;  // ids after the text

    Result<Encoding> encode(const QString& text) const;
    // Adds a token the vocabulary files did not list (tokenizer.json's added_tokens).
    void addToken(const QString& token, int id) { m_model->vocabulary().add(token, id); }

    int vocabSize() const;
    QString token(int id) const { return m_model->vocabulary().token(id); }
    int id(const QString& token) const { return m_model->vocabulary().id(token); }
    // Readable text of a token: "Ġworld" -> " world" for byte-level, as is otherwise.
    QString display(int id) const;
    // The mask token's id ([MASK] or <mask>), or -1.
    int maskId() const;
    QString maskToken() const;
    PreTokenizer preTokenizer() const { return m_pre; }
    QString describe() const;
    const SubwordModel& model() const { return *m_model; }

private:
    Status encodeSegment(const std::u32string& text, int originBase, Encoding& out) const;
    void appendSpecial(int id, int begin, int end, Encoding& out) const;

    std::unique_ptr<SubwordModel> m_model;
    PreTokenizer m_pre;
};

}  // namespace attnscope::core
