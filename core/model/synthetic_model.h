#pragma once

#include "io/dtype.h"
#include "model/model.h"

#include <QStringList>

namespace attnscope::core {

// Real architectures with random weights, for benchmarks: "bert-base" (12 x 12, hidden 768,
// vocab 30522), "gpt2" (124M: 12 x 12, hidden 768, vocab 50257), "vit-base" (patch 16 at 224:
// 197 tokens), "llama-1b" (Llama-3.2-1B) and "qwen3-0.6b" (Qwen3-0.6B).
QStringList syntheticArchitectures();
// The storage type the architecture's published checkpoint uses: BF16 for the rotary decoders,
// F32 for the others.
DType syntheticDefaultDType(const QString& architecture);
// Weights stored as `storage` (F32, BF16 or F16), used as stored like a checkpoint's.
Result<std::shared_ptr<Model>> makeSyntheticModel(const QString& architecture, uint32_t seed = 1,
                                                  DType storage = DType::F32);
// A model folder of those weights: config.json and model.safetensors (no tokenizer: add the
// architecture's own to run text through it).
Status writeSyntheticModel(const QString& architecture, DType storage, uint32_t seed, const QString& folder);

}  // namespace attnscope::core
