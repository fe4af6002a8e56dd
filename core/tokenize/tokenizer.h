#pragma once

#include "tokenize/subword_model.h"
#include "tokenize/text_steps.h"
#include "util/result.h"

#include <QHash>
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
    QStringList tokens;  // vocabulary strings ("##ing", "Ġworld", "▁world", "<0xE6>")
    std::vector<std::pair<int, int>> offsets;
    std::vector<bool> special;  // template or added token

    int size() const { return int(ids.size()); }
};

// A token matched verbatim in the input before normalisation ([MASK], <mask>, <|im_start|>, and
// tokenizer.json's added_tokens).
struct SpecialToken {
    QString content;
    int id = 0;
    bool lstrip = false;      // also consumes white space on its left (RoBERTa's <mask>)
    bool rstrip = false;
    bool singleWord = false;  // only where it is not inside a word
    bool special = true;      // a control token (false: an added piece of text)
};

// A complete text -> tokens pipeline, as tokenizer.json describes one: added tokens cut out first,
// then on each stretch of text between them the normalizers, the pre-tokenizers and the sub-word
// model; then the template ([CLS] A [SEP], <s> A, <bos> A or nothing).
class Tokenizer {
public:
    // How a token's vocabulary string reads as text: as is, byte-level ("Ġworld" is " world"), or
    // SentencePiece ("▁world" is " world", "<0xE6>" a byte).
    enum class TokenText { Plain, ByteLevel, Metaspace };

    explicit Tokenizer(std::unique_ptr<SubwordModel> model);

    // Configuration (set by the loader).
    std::vector<NormalizerPtr> normalizers;
    std::vector<PreTokenizerPtr> preTokenizers;
    TokenText tokenText = TokenText::Plain;
    bool trimOffsets = false;  // byte-level: a token's span leaves out the spaces it carries
    QString kind;              // "WordPiece, uncased", "byte-level BPE", ...
    std::vector<int> templatePrefix;  // ids before the text
    std::vector<int> templateSuffix;  // ids after the text

    // Matched in the raw text before anything else; an added token not in the vocabulary is added.
    void addSpecial(const SpecialToken& token);
    const std::vector<SpecialToken>& specials() const { return m_specials; }
    bool hasSpecial(const QString& content) const;

    Result<Encoding> encode(const QString& text) const;
    // Adds a token the vocabulary files did not list (tokenizer.json's added_tokens).
    bool addToken(const QString& token, int id) { return m_model->vocabulary().add(token, id); }

    int vocabSize() const;
    QString token(int id) const { return m_model->vocabulary().token(id); }
    int id(const QString& token) const { return m_model->vocabulary().id(token); }
    // Readable text of a token: "Ġworld" and "▁world" -> " world", "<0x41>" -> "A"; as is otherwise.
    QString display(int id) const;
    // The mask token's id ([MASK] or <mask>), or -1.
    int maskId() const;
    QString maskToken() const;
    QString describe() const;
    const SubwordModel& model() const { return *m_model; }

private:
    Status encodeSegment(const std::u32string& text, int originBase, Encoding& out) const;
    void appendSpecial(int id, int begin, int end, Encoding& out) const;

    std::unique_ptr<SubwordModel> m_model;
    std::vector<SpecialToken> m_specials;
    std::vector<std::u32string> m_specialTexts;
    QHash<char32_t, std::vector<int>> m_specialsByFirst;  // first character -> indices, longest first
};

}  // namespace attnscope::core
