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

// The defaults are the shipped model's (`attnscope-cli train-teaching`); quick() is the Train
// view's, about a minute on two cores.
struct TeachingOptions {
    uint32_t seed = 7;
    int steps = 12000;
    int batch = 32;
    float learningRate = 1e-3f;
    int warmup = 400;
    float weightDecay = 0.01f;
    float referentShare = 0.75f;  // share of examples that ask for the pronoun's referent; the rest are masked-LM
    // The coreference head: asked to look from the pronoun at its referent (-log of that share,
    // times attendWeight, added to the loss). attendWeight 0 leaves every head free.
    int attendLayer = 2, attendHead = 0;
    float attendWeight = 0.5f;
    int threads = 2;
    int heldOut = 500;
    TrainableBertConfig model{0, 96, 4, 4, 256, 64, 1e-12f};

    static TeachingOptions quick();
};

struct TeachingProgress {
    int step = 0;
    int steps = 0;
    double loss = 0;              // mean over the last report interval
    double referentAccuracy = 0;  // training batches, same interval
    double seconds = 0;
};

// How a trained model does on held-out sentences, measured through the inference path.
struct TeachingEvaluation {
    double referentAccuracy = 0;       // argmax of the LM head at the pronoun is the referent
    int bestLayer = -1, bestHead = -1;  // the head whose pronoun row peaks on the referent most often
    double bestHeadAccuracy = 0;
    std::vector<double> headAccuracy;  // (L * H) row-major
    // The best head's share on the referent where it peaks there, ascending (for the threshold).
    std::vector<float> bestHeadPeaks;
    int sentences = 0;
    int unknownTokens = 0;  // [UNK] tokens in the sentences
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
    // Token ids the corpus can produce (sorted), and the ids of the nouns it can name.
    const std::vector<int>& trainedTokens() const { return m_trainedTokens; }
    const std::vector<int>& referentTokens() const { return m_referentTokens; }

    // Runs the remaining steps; `progress` is called every `every` steps and may return false to
    // pause (train() returns; calling it again resumes). Returns the number of steps done so far.
    int train(const std::function<bool(const TeachingProgress&)>& progress = {}, int every = 50);
    int stepsDone() const { return m_step; }

    // Writes config.json (with the coreference head and its threshold when an evaluation is
    // given), model.safetensors, vocab.txt and tokenizer_config.json.
    Status exportFolder(const QString& folder, const TeachingEvaluation* evaluation = nullptr) const;
    // The current weights as a loaded model (the inference code path).
    Result<LoadedModel> snapshot() const;

private:
    Example referentExample(const WinogradSentence& s, const Encoding& e) const;
    Example maskedExample(const WinogradSentence& s, const Encoding& e, std::mt19937& rng) const;
    float learningRate(int step) const;

    TeachingOptions m_options;
    WinogradCorpus m_corpus;
    QStringList m_vocab;
    std::vector<int> m_trainedTokens, m_referentTokens;
    std::shared_ptr<const Tokenizer> m_tokenizer;
    std::unique_ptr<TrainableBert> m_model;
    std::unique_ptr<AdamW> m_optimizer;
    std::vector<bool> m_decay;
    std::mt19937 m_rng;
    int m_step = 0;
    double m_seconds = 0;  // trained so far, over every call to train()
};

// Referent accuracy and the best coreference head of any BERT-family model on held-out sentences.
Result<TeachingEvaluation> evaluateTeachingModel(const LoadedModel& model, const std::vector<WinogradSentence>& sentences);

// The token at a character offset of the encoded text (-1 when none starts or spans there).
int tokenAtOffset(const Encoding& encoding, int offset);
// The lowest share the coreference head gives a referent it finds, calibrated on an evaluation:
// the 2nd percentile of the best head's peaks where it was right.
float calibratedThreshold(const TeachingEvaluation& evaluation);

}  // namespace attnscope::core::train
