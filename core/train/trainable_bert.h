#pragma once

#include "train/param_set.h"

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include <vector>

namespace attnscope::core::train {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct TrainableBertConfig {
    int vocab = 0;
    int hidden = 64;
    int layers = 2;
    int heads = 4;
    int intermediate = 256;
    int maxPositions = 48;
    float eps = 1e-12f;
};

// One training example: token ids and the positions whose token the head must predict; and,
// optionally, one attention head asked to look from a query token at a key token.
struct Example {
    std::vector<int> ids;
    std::vector<std::pair<int, int>> targets;  // (position, token id)
    int attendLayer = -1, attendHead = -1, attendQuery = 0, attendKey = 0;
    float attendWeight = 0;  // loss weight of -log probs(query, key), times the example's scale
};

// BERT for masked-LM with Hugging Face's names and layout (post-LN encoder, exact GELU, tied
// decoder), trained with a hand-written backward pass. Exported checkpoints load through the same
// EncoderModel as any downloaded BERT.
class TrainableBert {
public:
    explicit TrainableBert(const TrainableBertConfig& config);

    const TrainableBertConfig& config() const { return m_c; }
    ParamSet& params() { return m_params; }
    const ParamSet& params() const { return m_params; }

    // Cross-entropy summed over the example's targets; when grad is non-null, adds
    // d(loss * scale)/d(params) into it (same layout as params().values()).
    double lossAndGradient(const Example& example, float scale, std::vector<float>* grad) const;
    // The same in double precision with the given parameter values (gradient checks).
    double lossAndGradientDouble(const std::vector<double>& values, const Example& example, std::vector<double>* grad) const;
    // Logits (V) at each target position, for evaluation.
    std::vector<std::vector<float>> logitsAt(const std::vector<int>& ids, const std::vector<int>& positions) const;

private:
    struct LayerIds {
        int q, qb, k, kb, v, vb, o, ob, ln1g, ln1b, w1, b1, w2, b2, ln2g, ln2b;
    };
    template <typename S> struct Forward;
    // Parameter tensors by index over a value array of scalar type S (float: training, double: checks).
    template <typename S> struct Params {
        const S* values;
        const ParamSet& set;
        const S* data(int index) const { return values + set.entry(index).offset; }
    };
    template <typename S> void forward(const S* values, const std::vector<int>& ids, Forward<S>& f) const;
    template <typename S> double lossImpl(const S* values, const Example& example, S scale, S* grad) const;

    TrainableBertConfig m_c;
    ParamSet m_params;
    int m_word, m_pos, m_type, m_embG, m_embB;
    std::vector<LayerIds> m_layers;
    int m_headW, m_headB, m_headG, m_headBeta, m_decBias;
};

}  // namespace attnscope::core::train
