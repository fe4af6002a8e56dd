#include "train/teaching_trainer.h"

#include "io/trace_export.h"
#include "model/builtin_models.h"
#include "model/text_analysis.h"
#include "tokenize/bert_pre_tokenizer.h"
#include "tokenize/tokenizer_loader.h"
#include "tokenize/unicode_text.h"
#include "train/adamw.h"
#include "train/data_parallel.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>

#include <algorithm>

namespace attnscope::core::train {
namespace {

// bert-base-uncased's 30,522 WordPiece tokens, shipped as the teaching model's vocab.txt.
QStringList teachingVocabulary() {
    QFile file(builtinTeachingModelPath() + QStringLiteral("/vocab.txt"));
    if (!file.open(QIODevice::ReadOnly)) qFatal("the built-in teaching vocabulary is missing from the binary");
    QStringList vocab = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    while (!vocab.isEmpty() && vocab.back().isEmpty()) vocab.removeLast();
    return vocab;
}

}  // namespace

int tokenAtOffset(const Encoding& e, int offset) {
    for (int i = 0; i < e.size(); ++i)
        if (!e.special[size_t(i)] && e.offsets[size_t(i)].first <= offset && offset < e.offsets[size_t(i)].second) return i;
    return -1;
}

TeachingOptions TeachingOptions::quick() {
    TeachingOptions o;
    o.steps = 1500;
    o.learningRate = 2e-3f;
    o.warmup = 100;
    o.attendLayer = 1;
    o.heldOut = 200;
    o.model = TrainableBertConfig{0, 64, 2, 4, 128, 64, 1e-12f};
    return o;
}

TeachingTrainer::TeachingTrainer(const TeachingOptions& options)
    : m_options(options), m_corpus(options.seed), m_rng(options.seed) {
    m_vocab = teachingVocabulary();
    m_tokenizer = *makeWordPieceTokenizer(m_vocab);
    QSet<int> trained{m_tokenizer->id(QStringLiteral("[CLS]")), m_tokenizer->id(QStringLiteral("[SEP]")), m_tokenizer->maskId()};
    for (const QString& text : m_corpus.words()) {
        const Encoding e = *m_tokenizer->encode(text);
        for (int id : e.ids) trained.insert(id);
    }
    QSet<int> referents;
    for (const QString& noun : m_corpus.nouns()) referents.insert(m_tokenizer->encode(noun)->ids[1]);  // [CLS] noun [SEP]
    m_trainedTokens.assign(trained.begin(), trained.end());
    m_referentTokens.assign(referents.begin(), referents.end());
    std::sort(m_trainedTokens.begin(), m_trainedTokens.end());
    std::sort(m_referentTokens.begin(), m_referentTokens.end());
    TrainableBertConfig c = options.model;
    c.vocab = int(m_vocab.size());
    m_model = std::make_unique<TrainableBert>(c);
    m_model->params().initialise(options.seed);
    m_optimizer = std::make_unique<AdamW>(m_model->params().size());
    m_decay = weightDecayMask(m_model->params());
}

Example TeachingTrainer::referentExample(const WinogradSentence& s, const Encoding& e) const {
    Example ex;
    ex.ids = e.ids;
    const int pronoun = tokenAtOffset(e, s.pronounStart), referent = tokenAtOffset(e, s.referentStart);
    if (pronoun < 0 || referent < 0) return ex;
    ex.targets.push_back({pronoun, e.ids[size_t(referent)]});
    if (m_options.attendWeight > 0) {
        ex.attendLayer = m_options.attendLayer;
        ex.attendHead = m_options.attendHead;
        ex.attendQuery = pronoun;
        ex.attendKey = referent;
        ex.attendWeight = m_options.attendWeight;
    }
    return ex;
}

Example TeachingTrainer::maskedExample(const WinogradSentence& s, const Encoding& e, std::mt19937& rng) const {
    Example ex;
    ex.ids = e.ids;
    std::uniform_real_distribution<float> u(0, 1);
    const int mask = m_tokenizer->maskId();
    const int pronoun = tokenAtOffset(e, s.pronounStart);
    for (int i = 0; i < e.size(); ++i) {
        if (e.special[size_t(i)] || i == pronoun || u(rng) >= 0.15f) continue;
        ex.targets.push_back({i, e.ids[size_t(i)]});
        ex.ids[size_t(i)] = mask;
    }
    return ex;
}

float TeachingTrainer::learningRate(int step) const {
    return warmupThenDecay(step, m_options.learningRate, m_options.warmup, m_options.steps);
}

int TeachingTrainer::train(const std::function<bool(const TeachingProgress&)>& progress, int every) {
    // Time counts across pauses: a resumed run goes on from the seconds already trained.
    QElapsedTimer timer;
    timer.start();
    const double before = m_seconds;
    auto elapsed = [&] { return before + double(timer.nsecsElapsed()) / 1e9; };
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
            const Encoding e = *m_tokenizer->encode(s.text);
            if (e.size() > m_options.model.maxPositions) continue;  // never: the corpus stays under 64 tokens (tested)
            const bool referent = u(m_rng) < m_options.referentShare;
            batch.push_back(referent ? referentExample(s, e) : maskedExample(s, e, m_rng));
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
                               elapsed()};
            lossSum = asked = correct = 0;
            reported = 0;
            if (!progress(p)) {
                ++m_step;
                m_seconds = elapsed();
                return m_step;
            }
        }
    }
    m_seconds = elapsed();
    return m_step;
}

Status TeachingTrainer::exportFolder(const QString& folder, const TeachingEvaluation* evaluation) const {
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
    auto ids = [](const std::vector<int>& list) {
        QJsonArray array;
        for (int id : list) array.append(id);
        return array;
    };
    config.insert(QStringLiteral("attnscope_trained_tokens"), ids(m_trainedTokens));
    config.insert(QStringLiteral("attnscope_referent_tokens"), ids(m_referentTokens));
    if (evaluation && evaluation->bestLayer >= 0) {
        config.insert(QStringLiteral("attnscope_coreference_head"), QJsonArray{evaluation->bestLayer, evaluation->bestHead});
        config.insert(QStringLiteral("attnscope_coreference_threshold"), double(calibratedThreshold(*evaluation)));
    }
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
    const int heads = c.layers * c.heads;
    std::vector<int> headHits(size_t(heads), 0);
    std::vector<std::vector<float>> peaks(static_cast<size_t>(heads));
    int correct = 0, counted = 0;
    const int unk = model.tokenizer->id(QStringLiteral("[UNK]"));
    for (const WinogradSentence& s : sentences) {
        auto a = analyzeText(model, s.text, {});
        if (!a) return a.error();
        const Encoding& e = a->encoding;
        ev.unknownTokens += int(std::count(e.ids.begin(), e.ids.end(), unk));
        const int pronoun = tokenAtOffset(e, s.pronounStart), referent = tokenAtOffset(e, s.referentStart);
        if (pronoun < 0 || referent < 0) continue;
        int referentEnd = referent;  // the referent word's pieces: [referent, referentEnd]
        while (referentEnd + 1 < e.size() && !e.special[size_t(referentEnd + 1)] &&
               e.offsets[size_t(referentEnd + 1)].first < s.referentStart + s.referentLength)
            ++referentEnd;
        ++counted;
        const auto logits = model.model->lmLogits(a->output, pronoun);
        correct += int(std::max_element(logits.begin(), logits.end()) - logits.begin()) == e.ids[size_t(referent)];
        const AttentionTrace& t = *a->trace;
        for (int l = 0; l < t.layers(); ++l)
            for (int h = 0; h < t.heads(); ++h) {
                const HeadMatrices head = t.head(l, h);
                const float* row = head.probsRow(pronoun);
                const int peak = int(std::max_element(row, row + t.tokens()) - row);
                if (peak < referent || peak > referentEnd) continue;
                ++headHits[size_t(l * t.heads() + h)];
                peaks[size_t(l * t.heads() + h)].push_back(row[peak]);
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
    if (ev.bestLayer >= 0) {
        ev.bestHeadPeaks = peaks[size_t(ev.bestLayer * c.heads + ev.bestHead)];
        std::sort(ev.bestHeadPeaks.begin(), ev.bestHeadPeaks.end());
    }
    return ev;
}

float calibratedThreshold(const TeachingEvaluation& ev) {
    if (ev.bestHeadPeaks.empty()) return 0;
    return ev.bestHeadPeaks[size_t(double(ev.bestHeadPeaks.size() - 1) * 0.02)];
}

}  // namespace attnscope::core::train
