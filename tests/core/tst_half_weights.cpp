// 16-bit checkpoints used as stored: a BF16/F16 folder keeps its matrices in the mapped file (no
// float32 copy), and its numbers equal those of the same values saved as float32, at a few tokens
// (the few-rows kernel's widening loads) and at many (blocks widened for sgemm).
#include "io/checkpoint.h"
#include "io/safetensors_writer.h"
#include "kernels/packed_gemm.h"
#include "model/model_loader.h"
#include "model/synthetic_model.h"
#include "trace/attention_trace.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace attnscope::core;

namespace {

QJsonObject smallConfig(const QString& family) {
    if (family == QLatin1String("gpt2"))
        return {{"model_type", "gpt2"}, {"n_embd", 64}, {"n_layer", 2}, {"n_head", 4}, {"vocab_size", 300}, {"n_positions", 1024}};
    return {{"model_type", "llama"},       {"hidden_size", 64},     {"num_hidden_layers", 2}, {"num_attention_heads", 4},
            {"num_key_value_heads", 2},    {"intermediate_size", 96}, {"vocab_size", 300},    {"max_position_embeddings", 1024},
            {"tie_word_embeddings", true}, {"rms_norm_eps", 1e-5}};
}

// Writes config.json and the synthetic weights (as stored) into folder; returns the config.
bool writeFolder(const QString& folder, const QJsonObject& json, DType storage) {
    auto config = parseModelConfig(json);
    if (!config) return false;
    const auto ckpt = Checkpoint::synthetic(11, storage);
    if (!buildModel(*config, ckpt)) return false;
    QDir().mkpath(folder);
    QFile f(folder + QStringLiteral("/config.json"));
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) <= 0) return false;
    f.close();
    return bool(ckpt->saveSynthetic(folder + QStringLiteral("/model.safetensors")));
}

// The same tensors widened to float32, as a second folder.
bool writeWidened(const QString& from, const QString& to, const QJsonObject& json) {
    auto ckpt = Checkpoint::open(from);
    if (!ckpt) return false;
    std::vector<NamedTensor> tensors;
    for (const QString& name : (*ckpt)->names()) {
        auto w = (*ckpt)->get(name, (*ckpt)->info(name)->shape);
        if (!w) return false;
        tensors.push_back(NamedTensor{name, w->shape, w->data});
    }
    QDir().mkpath(to);
    QFile f(to + QStringLiteral("/config.json"));
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(json).toJson()) <= 0) return false;
    f.close();
    return bool(writeSafetensors(to + QStringLiteral("/model.safetensors"), tensors));
}

Result<std::shared_ptr<Model>> open(const QString& folder, const QJsonObject& json) {
    auto config = parseModelConfig(json);
    if (!config) return config.error();
    auto ckpt = Checkpoint::open(folder);
    if (!ckpt) return ckpt.error();
    return buildModel(*config, *ckpt);
}

}  // namespace

class TestHalfWeights : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void equalsFloat32OfTheStoredValues_data();
    void equalsFloat32OfTheStoredValues();
    void syntheticArchitectureFolder();
};

void TestHalfWeights::equalsFloat32OfTheStoredValues_data() {
    QTest::addColumn<QString>("family");
    QTest::addColumn<int>("storage");
    QTest::addColumn<int>("tokens");
    for (const char* family : {"gpt2", "llama"})
        for (DType storage : {DType::BF16, DType::F16})
            for (int tokens : {1, 9, 64, 65, 200, 600})  // past 512: widened blocks for sgemm
                QTest::addRow("%s %s %d tokens", family, qPrintable(dtypeName(storage)), tokens)
                    << QString::fromLatin1(family) << int(storage) << tokens;
}

void TestHalfWeights::equalsFloat32OfTheStoredValues() {
    QFETCH(QString, family);
    QFETCH(int, storage);
    QFETCH(int, tokens);
    QTemporaryDir dir;
    const QJsonObject json = smallConfig(family);
    const QString half = dir.filePath(QStringLiteral("half")), wide = dir.filePath(QStringLiteral("f32"));
    QVERIFY(writeFolder(half, json, DType(storage)));
    QVERIFY(writeWidened(half, wide, json));
    auto a = open(half, json), b = open(wide, json);
    QVERIFY2(a, qPrintable(a ? QString() : a.message()));
    QVERIFY2(b, qPrintable(b ? QString() : b.message()));
    QCOMPARE((*a)->checkpoint().storageDType(), dtypeName(DType(storage)));
    QCOMPARE((*b)->checkpoint().storageDType(), QStringLiteral("F32"));

    std::vector<int> ids(static_cast<size_t>(tokens));
    for (int i = 0; i < tokens; ++i) ids[size_t(i)] = (i * 37 + 5) % 300;
    TraceRecorder ra, rb;
    auto oa = (*a)->forward(ids, {}, &ra), ob = (*b)->forward(ids, {}, &rb);
    QVERIFY(oa && ob);
    // No float32 copy of the matrices: only the 1-D tensors (norms, biases) and GPT-2's position
    // table are widened; the layers' matrices are packed for the micro-kernels in their own 16 bits
    // (every width here is a multiple of the panel), the embedding tables used as stored.
    uint64_t owned = 0;
    const bool packs = kernels::packingEnabled();
    for (const QString& name : (*a)->checkpoint().names()) {
        const Shape& shape = (*a)->checkpoint().info(name)->shape;
        const bool table = name.endsWith(QLatin1String("wte.weight")) || name.endsWith(QLatin1String("embed_tokens.weight"));
        if (shape.size() == 1 || name == QLatin1String("wpe.weight")) owned += uint64_t(shapeElements(shape)) * sizeof(float);
        else if (packs && !table) owned += uint64_t(shapeElements(shape)) * sizeof(uint16_t);
    }
    QCOMPARE((*a)->checkpoint().ownedBytes(), owned);

    double hidden = 0, probs = 0, logits = 0;
    for (size_t i = 0; i < oa->finalHidden.size(); ++i) hidden = std::max(hidden, double(std::abs(oa->finalHidden[i] - ob->finalHidden[i])));
    const auto ta = ra.take(), tb = rb.take();
    for (int l = 0; l < ta->layers(); ++l)
        for (int h = 0; h < ta->heads(); ++h)
            for (int64_t i = 0; i < int64_t(tokens) * tokens; ++i)
                probs = std::max(probs, double(std::abs(ta->head(l, h).probs()[i] - tb->head(l, h).probs()[i])));
    const std::vector<float> la = (*a)->lmLogits(*oa, tokens - 1), lb = (*b)->lmLogits(*ob, tokens - 1);
    for (size_t i = 0; i < la.size(); ++i) logits = std::max(logits, double(std::abs(la[i] - lb[i])));
    QVERIFY2(hidden < 1e-5 && probs < 1e-6 && logits < 1e-5,
             qPrintable(QStringLiteral("hidden %1, probs %2, logits %3").arg(hidden).arg(probs).arg(logits)));
}

// `attnscope-cli synthesize`'s folder: the architecture's tensors in its storage type, equal to
// the synthetic model bench runs.
void TestHalfWeights::syntheticArchitectureFolder() {
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("gpt2-f16"));
    QVERIFY(writeSyntheticModel(QStringLiteral("gpt2"), DType::F16, 3, folder));
    auto loaded = loadModelFolder(folder);
    QVERIFY2(loaded || loaded.message().contains(QStringLiteral("tokenizer")) || loaded.message().contains(QStringLiteral("vocab")),
             qPrintable(loaded ? QString() : loaded.message()));
    auto ckpt = Checkpoint::open(folder);
    QVERIFY(ckpt);
    QCOMPARE((*ckpt)->storageDType(), QStringLiteral("F16"));
    QCOMPARE((*ckpt)->info(QStringLiteral("h.0.attn.c_attn.weight"))->shape, (Shape{768, 2304}));
    QVERIFY(!(*ckpt)->has(QStringLiteral("lm_head.weight")));  // tied to wte
    auto config = parseModelConfig(QJsonDocument::fromJson([&] {
                                       QFile f(folder + QStringLiteral("/config.json"));
                                       return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
                                   }()).object());
    QVERIFY(config);
    auto fromFile = buildModel(*config, *ckpt);
    auto inMemory = makeSyntheticModel(QStringLiteral("gpt2"), 3, DType::F16);
    QVERIFY(fromFile && inMemory);
    const std::vector<int> ids{464, 5044, 1422, 470, 3272, 262, 2975, 780, 340, 373, 10032, 13};
    auto a = (*fromFile)->forward(ids, {}, nullptr), b = (*inMemory)->forward(ids, {}, nullptr);
    QVERIFY(a && b);
    double worst = 0;
    for (size_t i = 0; i < a->finalHidden.size(); ++i) worst = std::max(worst, double(std::abs(a->finalHidden[i] - b->finalHidden[i])));
    // The same stored values through the same kernels; Eigen's reductions may peel differently
    // with the buffers' alignment (last-bit differences).
    QVERIFY2(worst < 1e-6, qPrintable(QString::number(worst)));
}

QTEST_GUILESS_MAIN(TestHalfWeights)
#include "tst_half_weights.moc"
