// Tokenizer pipelines from tokenizer.json variants, special tokens and offsets.
#include "tokenize/byte_level.h"
#include "tokenize/tokenizer_loader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace attnscope::core;

namespace {

QJsonObject wordVocab() {
    QJsonObject v;
    int id = 0;
    for (const char* t : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "##s", ".", "play", "##ing"})
        v.insert(QLatin1String(t), id++);
    return v;
}

QJsonObject wordPieceJson(const QJsonObject& postProcessor) {
    QJsonArray added;
    for (const char* t : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"})
        added.append(QJsonObject{{"id", wordVocab().value(QLatin1String(t))}, {"content", t}, {"special", true}});
    return QJsonObject{{"added_tokens", added},
                       {"normalizer", QJsonObject{{"type", "BertNormalizer"}, {"lowercase", true}}},
                       {"pre_tokenizer", QJsonObject{{"type", "BertPreTokenizer"}}},
                       {"post_processor", postProcessor},
                       {"model", QJsonObject{{"type", "WordPiece"}, {"unk_token", "[UNK]"}, {"vocab", wordVocab()}}}};
}

QJsonObject bpeJson(const QJsonArray& merges) {
    QJsonObject vocab;
    for (int b = 0; b < 256; ++b) vocab.insert(QString::fromUcs4(std::u32string(1, byteToChar(uchar(b))).data(), 1), b);
    vocab.insert(QStringLiteral("Ġc"), 256);
    vocab.insert(QStringLiteral("Ġca"), 257);
    vocab.insert(QStringLiteral("<mask>"), 258);
    return QJsonObject{
        {"added_tokens", QJsonArray{QJsonObject{{"id", 258}, {"content", "<mask>"}, {"lstrip", true}, {"special", true}}}},
        {"normalizer", QJsonValue::Null},
        {"pre_tokenizer", QJsonObject{{"type", "ByteLevel"}, {"add_prefix_space", false}}},
        {"post_processor", QJsonObject{{"type", "ByteLevel"}}},
        {"model", QJsonObject{{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}}}};
}

}  // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void wordPieceTemplates_data();
    void wordPieceTemplates();
    void bpeMergeFormats_data();
    void bpeMergeFormats();
    void rejectsUnsupported_data();
    void rejectsUnsupported();
    void byteTableRoundTrips();
    void unigramViterbi_data();
    void unigramViterbi();
};

void TestTokenizer::wordPieceTemplates_data() {
    QTest::addColumn<QJsonObject>("post");
    QTest::newRow("TemplateProcessing")
        << QJsonObject{{"type", "TemplateProcessing"},
                       {"single", QJsonArray{QJsonObject{{"SpecialToken", QJsonObject{{"id", "[CLS]"}}}},
                                             QJsonObject{{"Sequence", QJsonObject{{"id", "A"}}}},
                                             QJsonObject{{"SpecialToken", QJsonObject{{"id", "[SEP]"}}}}}},
                       {"special_tokens", QJsonObject{{"[CLS]", QJsonObject{{"ids", QJsonArray{2}}}},
                                                      {"[SEP]", QJsonObject{{"ids", QJsonArray{3}}}}}}};
    QTest::newRow("BertProcessing") << QJsonObject{{"type", "BertProcessing"},
                                                   {"cls", QJsonArray{"[CLS]", 2}},
                                                   {"sep", QJsonArray{"[SEP]", 3}}};
}

void TestTokenizer::wordPieceTemplates() {
    QFETCH(QJsonObject, post);
    auto tok = parseTokenizerJson(wordPieceJson(post));
    QVERIFY2(tok, qPrintable(tok.message()));
    auto enc = (*tok)->encode(QStringLiteral("The [MASK] cats, playing."));
    QVERIFY2(enc, qPrintable(enc.message()));
    QCOMPARE(enc->tokens, (QStringList{"[CLS]", "the", "[MASK]", "cat", "##s", "[UNK]", "play", "##ing", ".", "[SEP]"}));
    QCOMPARE(enc->offsets[2], std::make_pair(4, 10));   // [MASK] matched verbatim
    QCOMPARE(enc->offsets[4], std::make_pair(14, 15));  // ##s
    QCOMPARE(enc->offsets[5], std::make_pair(15, 16));  // ',' is unknown here
    QCOMPARE((*tok)->maskId(), 4);
}

void TestTokenizer::bpeMergeFormats_data() {
    QTest::addColumn<QJsonArray>("merges");
    QTest::newRow("strings") << QJsonArray{"Ġ c", "Ġc a"};
    QTest::newRow("pairs") << QJsonArray{QJsonArray{"Ġ", "c"}, QJsonArray{"Ġc", "a"}};
}

void TestTokenizer::bpeMergeFormats() {
    QFETCH(QJsonArray, merges);
    auto tok = parseTokenizerJson(bpeJson(merges));
    QVERIFY2(tok, qPrintable(tok.message()));
    auto enc = (*tok)->encode(QStringLiteral("a cat <mask>"));
    QVERIFY2(enc, qPrintable(enc.message()));
    // <mask> absorbs the space on its left (lstrip), as RoBERTa's does.
    QCOMPARE(enc->tokens, (QStringList{"a", "Ġca", "t", "<mask>"}));
    QCOMPARE(enc->offsets[1], std::make_pair(2, 4));
    QCOMPARE(enc->offsets[3], std::make_pair(6, 12));
}

void TestTokenizer::rejectsUnsupported_data() {
    QTest::addColumn<QJsonObject>("json");
    QTest::addColumn<QString>("message");
    QJsonObject unigram = bpeJson({});
    unigram.insert(QStringLiteral("model"), QJsonObject{{"type", "Unigram"}, {"vocab", QJsonArray{QJsonArray{"a", "high"}}}});
    QTest::newRow("Unigram entry") << unigram << "Unigram vocab entry 0 is not [piece, score]";
    QJsonObject unknownModel = bpeJson({});
    unknownModel.insert(QStringLiteral("model"), QJsonObject{{"type", "WordLevel"}, {"vocab", QJsonObject{{"a", 0}}}});
    QTest::newRow("WordLevel model") << unknownModel << "model type 'WordLevel' is not supported (BPE, WordPiece, Unigram)";
    QJsonObject scripts = bpeJson({});
    scripts.insert(QStringLiteral("pre_tokenizer"), QJsonObject{{"type", "UnicodeScripts"}});
    QTest::newRow("UnicodeScripts") << scripts << "pre_tokenizer 'UnicodeScripts' is not supported";
    QJsonObject precompiled = bpeJson({});
    precompiled.insert(QStringLiteral("normalizer"), QJsonObject{{"type", "Sequence"}, {"normalizers", QJsonArray{QJsonObject{{"type", "Precompiled"}}}}});
    QTest::newRow("Precompiled normalizer") << precompiled << "normalizer 'Precompiled' is not supported";
    QJsonObject post = bpeJson({});
    post.insert(QStringLiteral("post_processor"), QJsonObject{{"type", "Fancy"}});
    QTest::newRow("unknown post_processor") << post << "post_processor 'Fancy' is not supported";
    QJsonObject regex = bpeJson({});
    regex.insert(QStringLiteral("pre_tokenizer"), QJsonObject{{"type", "Split"}, {"pattern", QJsonObject{{"Regex", "(unclosed"}}}, {"behavior", "Isolated"}});
    QTest::newRow("bad regex") << regex << "pre_tokenizer Split: the regular expression does not compile";
    QJsonObject behavior = bpeJson({});
    behavior.insert(QStringLiteral("pre_tokenizer"), QJsonObject{{"type", "Split"}, {"pattern", QJsonObject{{"String", " "}}}, {"behavior", "Sideways"}});
    QTest::newRow("unknown Split behavior") << behavior << "Split behavior 'Sideways' is unknown";
    QJsonObject empty = bpeJson({});
    empty.insert(QStringLiteral("model"), QJsonObject{{"type", "BPE"}});
    QTest::newRow("no vocabulary") << empty << "model.vocab is missing";
}

void TestTokenizer::rejectsUnsupported() {
    QFETCH(QJsonObject, json);
    QFETCH(QString, message);
    auto tok = parseTokenizerJson(json);
    QVERIFY(!tok);
    QVERIFY2(tok.message().contains(message), qPrintable(tok.message()));
}

// Unigram's Viterbi on scores small enough to check by hand: "abc" = a + bc (-1 - 2.9 = -3.9) beats
// ab + c (-5.5), abc (-6) and a + b + c (-6); an uncovered "d" is <unk> (min score - 10), runs fused;
// with byte_fallback it is its byte.
void TestTokenizer::unigramViterbi_data() {
    QTest::addColumn<bool>("byteFallback");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("tokens");
    QTest::newRow("best path") << false << "abc" << QStringList{"a", "bc"};
    QTest::newRow("two words") << false << "abc ab" << QStringList{"a", "bc", "ab"};
    QTest::newRow("unknown") << false << "abd" << QStringList{"ab", "<unk>"};
    QTest::newRow("unknowns fuse") << false << "ddab" << QStringList{"<unk>", "ab"};
    QTest::newRow("byte fallback") << true << "abd" << QStringList{"ab", "<0x64>"};
    QTest::newRow("byte fallback, two bytes") << true << "é" << QStringList{"<0xC3>", "<0xA9>"};
}

void TestTokenizer::unigramViterbi() {
    QFETCH(bool, byteFallback);
    QFETCH(QString, text);
    QFETCH(QStringList, tokens);
    QJsonArray vocab{QJsonArray{"<unk>", 0.0}, QJsonArray{"a", -1.0},  QJsonArray{"b", -2.0},     QJsonArray{"ab", -2.5},
                     QJsonArray{"abc", -6.0},  QJsonArray{"c", -3.0},  QJsonArray{"bc", -2.9},    QJsonArray{"<0x64>", -9.0},
                     QJsonArray{"<0xC3>", -9.0}, QJsonArray{"<0xA9>", -9.0}};
    const QJsonObject json{{"model", QJsonObject{{"type", "Unigram"}, {"unk_id", 0}, {"vocab", vocab}, {"byte_fallback", byteFallback}}},
                           {"pre_tokenizer", QJsonObject{{"type", "WhitespaceSplit"}}}};
    auto tok = parseTokenizerJson(json);
    QVERIFY2(tok, qPrintable(tok.message()));
    auto enc = (*tok)->encode(text);
    QVERIFY2(enc, qPrintable(enc.message()));
    QCOMPARE(enc->tokens, tokens);
}

void TestTokenizer::byteTableRoundTrips() {
    for (int b = 0; b < 256; ++b) QCOMPARE(charToByte(byteToChar(uchar(b))), b);
    QCOMPARE(byteToChar(' '), char32_t(0x120));
    QCOMPARE(byteLevelDecode(QStringLiteral("Ġworld")), QStringLiteral(" world"));
}

QTEST_APPLESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
