#include "train/param_set.h"

#include "io/safetensors_writer.h"

namespace attnscope::core::train {

int ParamSet::add(const QString& name, const Shape& shape, Init init) {
    Entry e{name, shape, m_size, size_t(shapeElements(shape))};
    m_size += e.size;
    m_entries.push_back(e);
    m_inits.push_back(init);
    m_values.resize(m_size);
    return int(m_entries.size()) - 1;
}

void ParamSet::initialise(uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.02f);  // BERT's initializer_range
    for (size_t i = 0; i < m_entries.size(); ++i) {
        float* p = m_values.data() + m_entries[i].offset;
        for (size_t j = 0; j < m_entries[i].size; ++j)
            p[j] = m_inits[i] == Init::Normal002 ? normal(rng) : m_inits[i] == Init::Ones ? 1.0f : 0.0f;
    }
}

Status ParamSet::save(const QString& path) const {
    std::vector<NamedTensor> tensors;
    for (const Entry& e : m_entries) tensors.push_back({e.name, e.shape, m_values.data() + e.offset});
    return writeSafetensors(path, tensors, {{"format", "pt"}});
}

}  // namespace attnscope::core::train
