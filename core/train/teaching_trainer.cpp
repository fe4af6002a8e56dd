#include "train/teaching_trainer.h"

#include "io/trace_export.h"
#include "model/text_analysis.h"
#include "tokenize/bert_pre_tokenizer.h"
#include "tokenize/tokenizer_loader.h"
#include "tokenize/unicode_text.h"
#include "train/adamw.h"
#include "train/data_parallel.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>

#include <algorithm>

namespace attnscope::core::train {
namespace {

const QStringList kSpecials{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

// Word-level vocabulary: every word the BERT pre-tokenizer makes of the corpus, lower-cased.
QStringList buildVocabulary(const WinogradCorpus& corpus) {
    QSet<QString> words;
    for (const QString& text : corpus.surfaceTexts())
        for (const Piece& p : bertPreTokenize(unicode::toUtf32(text), 0, BertNormalizerOptions{}))
            words.insert(unicode::fromUtf32(p.text));
    QStringList sorted(words.begin(), words.end());
    sorted.sort();
    return kSpecials + sorted;
}

int positionOf(const Encoding& e, const QString& token) {
    for (int i = 0; i < e.size(); ++i)
        if (!e.special[size_t(i)] && e.tokens[i] == token) return i;
    return -1;
}

}  // namespace

TeachingTrainer::TeachingTrainer(const TeachingOptions& options)
    : m_options(options), m_corpus(options.seed), m_rng(options.seed) {
    m_vocab = buildVocabulary(m_corpus);
    m_tokenizer = *makeWordPieceTokenizer(m_vocab);
    TrainableBertConfig c = options.model;
    c.vocab = int(m_vocab.size());
    m_model = std::make_unique<TrainableBert>(c);
    m_model->params().initialise(options.seed);
    m_optimizer = std::make_unique<AdamW>(m_model->params().size());
    m_decay = weightDecayMask(m_model->params());
}

Example TeachingTrainer::referentExample(const WinogradSentence& s) const {
    Example ex;
    const Encoding e = *m_tokenizer->encode(s.text);
    ex.ids = e.ids;
    const int pronoun = positionOf(e, s.pronoun);
    if (pronoun >= 0) ex.targets.push_back({pronoun, m_tokenizer->id(s.referent)});
    return ex;
}

Example TeachingTrainer::maskedExample(const WinogradSentence& s, std::mt19937& rng) const {
    Example ex;
    const Encoding e = *m_tokenizer->encode(s.text);
    ex.ids = e.ids;
    std::uniform_real_distribution<float> u(0, 1);
    const int mask = m_tokenizer->maskId();
    for (int i = 0; i < e.size(); ++i) {
        if (e.special[size_t(i)] || e.tokens[i] == s.pronoun || u(rng) >= 0.15f) continue;
        ex.targets.push_back({i, e.ids[size_t(i)]});
        ex.ids[size_t(i)] = mask;
    }
    return ex;
}

float TeachingTrainer::learningRate(int step) const {
    return warmupThenDecay(step, m_options.learningRate, m_options.warmup, m_options.steps);
}

int TeachingTrainer::train(const std::function<bool(const TeachingProgress&)>& progress, int every) {
    QElapsedTimer timer;
    timer.start();
    std::vector<float>& values = m_model->params().values();
    const int workers = std::max(1, m_options.threads);
    std::vector<std::vector<float>> grads(size_t(workers), std::vector<float>(values.size()));
    double lossSum = 0, correct = 0, asked = 0;
    int reported = 0;
    std::uniform_real_distribution<float> u(0, 1);
    for (; m_step < m_options.steps; ++m_step) {
        std::vector<Example> batch;
        std::vector<bool> isReferent;
        int targets = 0;
        for (int b = 0; b < m_options.batch; ++b) {
            const WinogradSentence s = m_corpus.trainingSentence(m_rng);
            const bool referent = u(m_rng) < m_options.referentShare;
            batch.push_back(referent ? referentExample(s) : maskedExample(s, m_rng));
            isReferent.push_back(referent);
            targets += int(batch.back().targets.size());
        }
        if (targets == 0) continue;
        const float scale = 1.0f / float(targets);
        lossSum += dataParallelGradient(workers, batch.size(), [&](size_t i, std::vector<float>& grad) {
            return m_model->lossAndGradient(batch[i], scale, &grad);
        }, grads);
        clipGradient(grads[0], 1.0f);
        m_optimizer->step(values, grads[0], m_decay, learningRate(m_step), m_options.weightDecay);
        asked += targets;
        // Training accuracy on a few referent examples of this batch (cheap forward passes).
        if (progress && (m_step + 1) % every == 0) {
            for (size_t i = 0; i < batch.size() && i < 8; ++i) {
                if (!isReferent[i] || batch[i].targets.empty()) continue;
                const auto logits = m_model->logitsAt(batch[i].ids, {batch[i].targets[0].first});
                const int best = int(std::max_element(logits[0].begin(), logits[0].end()) - logits[0].begin());
                correct += best == batch[i].targets[0].second;
                ++reported;
            }
            TeachingProgress p{m_step + 1, m_options.steps, lossSum / std::max(1.0, asked), reported ? correct / reported : 0,
                               double(timer.nsecsElapsed()) / 1e9};
            lossSum = asked = correct = 0;
            reported = 0;
            if (!progress(p)) {
                ++m_step;
                return m_step;
            }
        }
    }
    return m_step;
}

Status TeachingTrainer::exportFolder(const QString& folder, std::optional<std::pair<int, int>> head) const {
    if (!QDir().mkpath(folder)) return inputError(QStringLiteral("%1: cannot create the folder").arg(folder));
    const QDir dir(folder);
    const TrainableBertConfig& c = m_model->config();
    if (Status s = m_model->params().save(dir.filePath(QStringLiteral("model.safetensors"))); !s) return s;
    QJsonObject config{{"architectures", QJsonArray{"BertForMaskedLM"}},
                       {"model_type", "bert"},
                       {"_name_or_path", "attnscope-teaching-bert"},
                       {"vocab_size", c.vocab},
                       {"hidden_size", c.hidden},
                       {"num_hidden_layers", c.layers},
                       {"num_attention_heads", c.heads},
                       {"intermediate_size", c.intermediate},
                       {"max_position_embeddings", c.maxPositions},
                       {"type_vocab_size", 2},
                       {"hidden_act", "gelu"},
                       {"layer_norm_eps", 1e-12},
                       {"pad_token_id", 0},
                       {"attnscope_training", QJsonObject{{"seed", qint64(m_options.seed)}, {"steps", m_step}}}};
    if (head) config.insert(QStringLiteral("attnscope_coreference_head"), QJsonArray{head->first, head->second});
    auto writeText = [&](const QString& name, const QByteArray& bytes) { return saveBytesAtomically(dir.filePath(name), bytes); };
    if (Status s = writeText(QStringLiteral("config.json"), QJsonDocument(config).toJson()); !s) return s;
    if (Status s = writeText(QStringLiteral("vocab.txt"), (m_vocab.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8()); !s) return s;
    return writeText(QStringLiteral("tokenizer_config.json"),
                     QJsonDocument(QJsonObject{{"do_lower_case", true}, {"tokenizer_class", "BertTokenizer"}}).toJson());
}

Result<LoadedModel> TeachingTrainer::snapshot() const {
    QTemporaryDir dir;
    if (!dir.isValid()) return internalError(QStringLiteral("cannot create a temporary folder"));
    if (Status s = exportFolder(dir.path()); !s) return s.error();
    auto loaded = loadModelFolder(dir.path());
    // The loaded checkpoint maps its file; keep a private copy of the weights alive instead of the folder.
    if (!loaded) return loaded.error();
    return loaded;
}

Result<TeachingEvaluation> evaluateTeachingModel(const LoadedModel& model, const std::vector<WinogradSentence>& sentences) {
    TeachingEvaluation ev;
    const ModelConfig& c = model.config();
    std::vector<int> headHits(size_t(c.layers * c.heads), 0);
    int correct = 0, counted = 0;
    for (const WinogradSentence& s : sentences) {
        auto a = analyzeText(model, s.text, {});
        if (!a) return a.error();
        const Encoding& e = a->encoding;
        const int pronoun = positionOf(e, s.pronoun), referent = positionOf(e, s.referent);
        if (pronoun < 0 || referent < 0) continue;
        ++counted;
        const auto logits = model.model->lmLogits(a->output, pronoun);
        correct += int(std::max_element(logits.begin(), logits.end()) - logits.begin()) == model.tokenizer->id(s.referent);
        const AttentionTrace& t = *a->trace;
        for (int l = 0; l < t.layers(); ++l)
            for (int h = 0; h < t.heads(); ++h) {
                const HeadMatrices head = t.head(l, h);
                const float* row = head.probsRow(pronoun);
                headHits[size_t(l * t.heads() + h)] += int(std::max_element(row, row + t.tokens()) - row) == referent;
            }
    }
    if (counted == 0) return inputError(QStringLiteral("no held-out sentence could be evaluated"));
    ev.sentences = counted;
    ev.referentAccuracy = double(correct) / counted;
    for (size_t i = 0; i < headHits.size(); ++i) {
        ev.headAccuracy.push_back(double(headHits[i]) / counted);
        if (ev.headAccuracy.back() > ev.bestHeadAccuracy) {
            ev.bestHeadAccuracy = ev.headAccuracy.back();
            ev.bestLayer = int(i) / c.heads;
            ev.bestHead = int(i) % c.heads;
        }
    }
    return ev;
}

}  // namespace attnscope::core::train
