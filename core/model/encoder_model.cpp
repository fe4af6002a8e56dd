#include "model/encoder_model.h"

#include "kernels/packed_gemm.h"

#include <algorithm>
#include <cstring>

namespace attnscope::core {
namespace {

// Tensor names inside one encoder layer.
struct LayerNames {
    QLatin1String query, key, value, output, attnNorm, ffnIn, ffnOut, outNorm;
};
const LayerNames kBertNames{QLatin1String("attention.self.query"),        QLatin1String("attention.self.key"),
                            QLatin1String("attention.self.value"),        QLatin1String("attention.output.dense"),
                            QLatin1String("attention.output.LayerNorm"),  QLatin1String("intermediate.dense"),
                            QLatin1String("output.dense"),                QLatin1String("output.LayerNorm")};
const LayerNames kDistilBertNames{QLatin1String("attention.q_lin"),   QLatin1String("attention.k_lin"),
                                  QLatin1String("attention.v_lin"),   QLatin1String("attention.out_lin"),
                                  QLatin1String("sa_layer_norm"),     QLatin1String("ffn.lin1"),
                                  QLatin1String("ffn.lin2"),          QLatin1String("output_layer_norm")};

QString layerName(const ModelConfig& c, int i) {
    return c.family == Family::DistilBert ? QStringLiteral("transformer.layer.%1.").arg(i)
                                          : QStringLiteral("encoder.layer.%1.").arg(i);
}

}  // namespace

Result<std::shared_ptr<Model>> EncoderModel::load(const ModelConfig& config, std::shared_ptr<Checkpoint> ckpt) {
    std::shared_ptr<EncoderModel> model(new EncoderModel(config, std::move(ckpt)));
    if (Status s = model->loadWeights(); !s) return s.error();
    return std::shared_ptr<Model>(model);
}

Status EncoderModel::loadWeights() {
    const ModelConfig& c = m_config;
    const int H = c.hidden, I = c.intermediate;
    const QString own = c.family == Family::Bert      ? QStringLiteral("bert.")
                        : c.family == Family::Roberta ? QStringLiteral("roberta.")
                                                      : QStringLiteral("distilbert.");
    const QString probe = QStringLiteral("embeddings.word_embeddings.weight");
    const auto prefix = detectPrefix(*m_checkpoint, {own, QString()}, probe);
    if (!prefix)
        return inputError(QStringLiteral("missing tensor '%1%2' (expected shape [%3, %4]); is this a %5 "
                                         "checkpoint?")
                              .arg(own, probe)
                              .arg(c.vocabSize)
                              .arg(H)
                              .arg(c.modelType));
    WeightLoader w(m_checkpoint, *prefix);
    m_wordEmb = w.matrix(probe, c.vocabSize, H);
    m_posEmb = w.tensor(QStringLiteral("embeddings.position_embeddings.weight"), {c.maxPositions, H});
    if (c.family != Family::DistilBert && c.typeVocabSize > 0)
        m_typeEmb = w.tensor(QStringLiteral("embeddings.token_type_embeddings.weight"), {c.typeVocabSize, H});
    m_embNorm = w.layerNorm(QStringLiteral("embeddings.LayerNorm"), H);
    countParameters((uint64_t(c.vocabSize) + uint64_t(c.maxPositions) + uint64_t(c.typeVocabSize) + 2) * uint64_t(H));

    for (int i = 0; i < c.layers; ++i) {
        const QString p = layerName(c, i);
        const LayerNames& n = c.family == Family::DistilBert ? kDistilBertNames : kBertNames;
        Layer l;
        l.attn.q = w.linear(p + n.query, H, H);
        l.attn.k = w.linear(p + n.key, H, H);
        l.attn.v = w.linear(p + n.value, H, H);
        l.attn.out = w.linear(p + n.output, H, H);
        l.attnNorm = w.layerNorm(p + n.attnNorm, H);
        l.ffnIn = w.linear(p + n.ffnIn, I, H);
        l.ffnOut = w.linear(p + n.ffnOut, H, I);
        l.outNorm = w.layerNorm(p + n.outNorm, H);
        if (!w.ok()) break;  // stop at the first missing tensor (a config may claim a billion layers)
        w.packAttention(l.attn, p);
        w.pack(l.ffnIn, p + n.ffnIn);
        w.pack(l.ffnOut, p + n.ffnOut);
        m_layers.push_back(l);
        countParameters(layerParameters(H, I));
    }
    if (!w.ok()) return w.error();
    WeightLoader head(m_checkpoint, QString());
    loadHead(head);
    return {};
}

// The masked-LM head, when the checkpoint has one (BertForMaskedLM, RobertaForMaskedLM,
// DistilBertForMaskedLM). Its decoder is tied to the word embeddings unless stored.
void EncoderModel::loadHead(WeightLoader& w) {
    const ModelConfig& c = m_config;
    const int H = c.hidden, V = c.vocabSize;
    QString dense, norm, decoder, bias, bias2;
    LmHead head;
    head.activation = c.activation;
    if (c.family == Family::Bert) {
        dense = QStringLiteral("cls.predictions.transform.dense");
        norm = QStringLiteral("cls.predictions.transform.LayerNorm");
        decoder = QStringLiteral("cls.predictions.decoder.weight");
        bias = QStringLiteral("cls.predictions.bias");
        bias2 = QStringLiteral("cls.predictions.decoder.bias");
    } else if (c.family == Family::Roberta) {
        dense = QStringLiteral("lm_head.dense");
        norm = QStringLiteral("lm_head.layer_norm");
        decoder = QStringLiteral("lm_head.decoder.weight");
        bias = QStringLiteral("lm_head.bias");
        bias2 = QStringLiteral("lm_head.decoder.bias");
        head.activation = kernels::Activation::GeluErf;  // RobertaLMHead always uses gelu
    } else {
        dense = QStringLiteral("vocab_transform");
        norm = QStringLiteral("vocab_layer_norm");
        decoder = QStringLiteral("vocab_projector.weight");
        bias = QStringLiteral("vocab_projector.bias");
    }
    if (!w.has(dense + QStringLiteral(".weight"))) return;  // no head: predictions unavailable
    head.transform = w.linear(dense, H, H);
    head.norm = w.layerNorm(norm, H);
    head.decoder = w.has(decoder) ? w.matrix(decoder, V, H) : m_wordEmb;
    if (w.has(bias)) head.decoder.b = w.tensor(bias, {V});
    else if (!bias2.isEmpty() && w.has(bias2)) head.decoder.b = w.tensor(bias2, {V});
    if (w.ok()) m_head = head;
}

void EncoderModel::embed(const std::vector<int>& ids, const std::vector<int>& typeIds, float* x) const {
    const int H = m_config.hidden;
    // RoBERTa numbers positions from padding_idx + 1 and gives padding tokens padding_idx, counting
    // only the others (transformers' create_position_ids_from_input_ids): a literal <pad> in the
    // text takes position 1 and the tokens after it do not skip a number.
    const bool roberta = m_config.family == Family::Roberta;
    const int pad = m_config.padTokenId;
    int counted = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
        float* row = x + i * size_t(H);  // (H)
        kernels::weightRow(m_wordEmb, ids[i], row);
        const int position = !roberta ? int(i) : ids[i] == pad ? pad : pad + ++counted;
        kernels::addInPlace(row, m_posEmb + size_t(position) * size_t(H), H);
        if (m_typeEmb) {
            const int t = typeIds.empty() ? 0 : typeIds[i];
            kernels::addInPlace(row, m_typeEmb + size_t(t) * size_t(H), H);
        }
    }
    kernels::layerNorm(x, int(ids.size()), H, m_embNorm.gamma, m_embNorm.beta, m_config.layerNormEps, x);
}

Result<ForwardOutput> EncoderModel::forward(const std::vector<int>& ids, const std::vector<int>& typeIds,
                                            TraceSink* sink, const std::atomic<bool>* cancel) const {
    if (Status s = checkInput(ids, typeIds); !s) return s.error();
    const ModelConfig& c = m_config;
    const int n = int(ids.size()), H = c.hidden;
    const ForwardShape shape{n, c.layers, c.heads, c.headDim(), H, false};
    if (sink) sink->begin(shape);

    std::vector<float> x(size_t(n) * size_t(H));                 // (n, H) running hidden state
    const int64_t ldFfn = kernels::inputStride(c.intermediate);
    std::vector<float> ffn(size_t(n) * size_t(ldFfn));            // (n, ldFfn) its first I columns
    std::vector<float> ffnOut(x.size());                          // (n, H)
    embed(ids, typeIds, x.data());
    if (sink) sink->hiddenState(0, x.data());

    AttentionBlock attention(shape, sink);
    for (int l = 0; l < c.layers; ++l) {
        if (cancel && cancel->load()) return inputError(QStringLiteral("cancelled"));
        const Layer& L = m_layers[size_t(l)];
        // The layer's input kept apart from x (which the residuals change), in the trace when recording
        float* attnIn = attention.inputBuffer(l);  // (n, H)
        kernels::copyValues(x.data(), int64_t(x.size()), attnIn);
        LayerTensors t;
        // x = LN(x + attn(x)), the sum taken as the output projection stores
        attention.run(l, L.attn, attnIn, &t, x.data());
        kernels::layerNorm(x.data(), n, H, L.attnNorm.gamma, L.attnNorm.beta, c.layerNormEps, x.data());
        // x = LN(x + W2 act(W1 x))
        kernels::linearActivated(L.ffnIn, c.activation, x.data(), n, ffn.data(), ldFfn);
        kernels::linearResidual(L.ffnOut, ffn.data(), ldFfn, n, ffnOut.data(), x.data());
        kernels::layerNorm(x.data(), n, H, L.outNorm.gamma, L.outNorm.beta, c.layerNormEps, x.data());
        t.output = x.data();
        if (sink) {
            sink->layer(t);
            sink->hiddenState(l + 1, x.data());
        }
    }
    return ForwardOutput{n, H, std::move(x)};
}

std::vector<float> EncoderModel::lmLogits(const ForwardOutput& out, int position) const {
    return lensLogits(out.finalHidden.data() + size_t(position) * size_t(m_config.hidden), 1, m_config.layers);
}

// Post-LN: every hidden state is already normalised; the MLM head's transform is the whole lens.
std::vector<float> EncoderModel::lensLogits(const float* hidden, int rows, int /*index*/) const {
    if (!hasLmHead()) return {};
    const int H = m_config.hidden, V = m_config.vocabSize;
    std::vector<float> h(size_t(rows) * size_t(H));  // (rows, H)
    kernels::linear(m_head.transform, hidden, rows, h.data());
    kernels::activate(m_head.activation, h.data(), int64_t(h.size()));
    kernels::layerNorm(h.data(), rows, H, m_head.norm.gamma, m_head.norm.beta, m_config.layerNormEps, h.data());
    std::vector<float> logits(size_t(rows) * size_t(V));  // (rows, V) = h . decoder^T (V, H)
    kernels::linear(m_head.decoder, h.data(), rows, logits.data());
    return logits;
}

}  // namespace attnscope::core
