#pragma once

#include "model/model.h"

#include <QStringList>

namespace attnscope::core {

// Real architectures with random weights, for benchmarks: "bert-base" (12 x 12, hidden 768,
// vocab 30522), "gpt2" (124M: 12 x 12, hidden 768, vocab 50257) and "vit-base" (patch 16 at 224:
// 197 tokens).
QStringList syntheticArchitectures();
Result<std::shared_ptr<Model>> makeSyntheticModel(const QString& architecture, uint32_t seed = 1);

}  // namespace attnscope::core
