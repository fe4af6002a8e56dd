#pragma once

#include "tokenize/tokenizer.h"
#include "util/result.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <utility>
#include <vector>

namespace attnscope::core {

// What a trace file says about the run that made it: its __metadata__ (docs/trace-format.md), read
// and checked against itself. Tensor shapes are checked against it by the reader (trace_file.h).
// The picture a vision run saw, as the trace file's optional `image` tensor: (height, width, 3) U8,
// rows top to bottom, RGB.
struct TracePicture {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;  // (height, width, 3)
    bool empty() const { return rgb.empty(); }
    static constexpr int kMaxSide = 8192;
};

struct TraceInfo {
    static constexpr int kVersion = 1;
    static constexpr int kMaxLayers = 4096;
    static constexpr int kMaxHeads = 4096;
    static constexpr int kMaxHeadDim = 65536;
    static constexpr int kMaxTokens = 1 << 20;

    int version = kVersion;
    QString model;      // hub id or name ("meta-llama/Llama-3.1-70B")
    QString modelType;  // config.json's model_type ("llama", "bert", ...), may be empty
    QString text;       // the input text (empty for an image)
    QStringList tokens;  // (n) vocabulary strings as the tokenizer gave them
    // (n) [begin, end) in code points of text; empty when the file has none.
    std::vector<std::pair<int, int>> offsets;
    int numLayers = 0;   // the model's layers
    int heads = 0;       // query heads
    int kvHeads = 0;     // key/value heads (grouped-query attention), divides heads
    int headDim = 0;
    int hiddenSize = 0;  // width of hidden_states.{i}; 0 when the file has none
    bool causal = false;
    float scale = 0;     // scores = q.k * scale; 0: 1/sqrt(head_dim)
    std::vector<int> layers;   // the model layers the file holds, ascending (all when absent)
    std::vector<int> windows;  // (layers) each held layer's sliding window, 0 for none; empty: none
    int imageGrid = 0;   // vision models: patches per side (tokens = grid^2 + the class tokens)

    int tokensCount() const { return int(tokens.size()); }
    float scoreScale() const;

    // Reads and checks __metadata__; a message names the key and what is wrong.
    static Result<TraceInfo> fromMetadata(const QHash<QString, QString>& metadata);
    // The __metadata__ that reads back as this.
    QHash<QString, QString> toMetadata() const;
    // The tokens as an encoding: ids unknown (-1), offsets as given (else none), and special where a
    // token covers no text (offsets [b, b], as tokenizers give their template tokens).
    Encoding encoding() const;
    // The same from an encoding of `text` (the writer's side).
    void setTokens(const Encoding& encoding);
};

// {0, 1, 2, 3, 7} -> "0-3, 7".
QString layerRangesText(const std::vector<int>& layers);

// "0-3,7,9-10" -> {0, 1, 2, 3, 7, 9, 10} within [0, count), ascending, no repeats; else a message.
Result<std::vector<int>> parseLayerRanges(const QString& text, int count);

}  // namespace attnscope::core
