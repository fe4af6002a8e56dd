#pragma once

#include "model/model_loader.h"
#include "tokenize/tokenizer.h"
#include "train/adamw.h"
#include "train/trainable_bert.h"
#include "train/winograd_corpus.h"
#include "util/result.h"

#include <functional>
#include <memory>
#include <optional>

namespace attnscope::core::train {

struct TeachingOptions {
    uint32_t seed = 7;
    int steps = 6000;
    int batch = 32;
    float learningRate = 2e-3f;
    int warmup = 150;
    float weightDecay = 0.01f;
    float referentShare = 0.7f;  // share of examples that ask for the pronoun's referent; the rest are masked-LM
    int threads = 2;
    int heldOut = 400;
    TrainableBertConfig model{0, 64, 3, 4, 128, 32, 1e-12f};
};

struct TeachingProgress {
    int step = 0;
    int steps = 0;
    double loss = 0;              // mean over the last report interval
    double referentAccuracy = 0;  // training batches, same interval
    double seconds = 0;
};

// How a trained model does on the held-out sentences, measured through the inference path.
struct TeachingEvaluation {
    double referentAccuracy = 0;       // argmax of the LM head at the pronoun is the referent
    int bestLayer = -1, bestHead = -1;  // the head whose pronoun row peaks on the referent most often
    double bestHeadAccuracy = 0;
    std::vector<double> headAccuracy;  // (L * H) row-major
    int sentences = 0;
};

// Trains AttnScope's built-in teaching model: a small BERT that learns to resolve pronouns in
// Winograd-style sentences (plus masked-LM on other sentences), exported as a standard Hugging
// Face BERT folder.
class TeachingTrainer {
public:
    explicit TeachingTrainer(const TeachingOptions& options);

    const TeachingOptions& options() const { return m_options; }
    const WinogradCorpus& corpus() const { return m_corpus; }
    const Tokenizer& tokenizer() const { return *m_tokenizer; }
    const QStringList& vocabulary() const { return m_vocab; }

    // Runs the remaining steps; `progress` is called every `every` steps and may return false to
    // pause (train() returns; calling it again resumes). Returns the number of steps done so far.
    int train(const std::function<bool(const TeachingProgress&)>& progress = {}, int every = 50);
    int stepsDone() const { return m_step; }

    // Writes config.json (with "attnscope_coreference_head" when given), model.safetensors,
    // vocab.txt and tokenizer_config.json.
    Status exportFolder(const QString& folder, std::optional<std::pair<int, int>> coreferenceHead = std::nullopt) const;
    // The current weights as a loaded model (the inference code path).
    Result<LoadedModel> snapshot() const;

private:
    Example referentExample(const WinogradSentence& s) const;
    Example maskedExample(const WinogradSentence& s, std::mt19937& rng) const;
    float learningRate(int step) const;

    TeachingOptions m_options;
    WinogradCorpus m_corpus;
    QStringList m_vocab;
    std::shared_ptr<const Tokenizer> m_tokenizer;
    std::unique_ptr<TrainableBert> m_model;
    std::unique_ptr<AdamW> m_optimizer;
    std::vector<bool> m_decay;
    std::mt19937 m_rng;
    int m_step = 0;
};

// Referent accuracy and the best coreference head of any BERT-family model on held-out sentences.
Result<TeachingEvaluation> evaluateTeachingModel(const LoadedModel& model, const std::vector<WinogradSentence>& sentences);

}  // namespace attnscope::core::train
