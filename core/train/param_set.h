#pragma once

#include "util/result.h"
#include "util/shape.h"

#include <QString>

#include <random>
#include <vector>

namespace attnscope::core::train {

// All trainable tensors of a model in one flat float vector (so the optimiser and the gradient
// buffers are single vectors), each known by its Hugging Face name and shape.
class ParamSet {
public:
    struct Entry {
        QString name;
        Shape shape;
        size_t offset = 0;
        size_t size = 0;
    };
    enum class Init { Normal002, Ones, Zeros };

    // Registers a tensor; returns its index. Values are set by initialise().
    int add(const QString& name, const Shape& shape, Init init);
    void initialise(uint32_t seed);

    const std::vector<Entry>& entries() const { return m_entries; }
    size_t size() const { return m_size; }
    std::vector<float>& values() { return m_values; }
    const std::vector<float>& values() const { return m_values; }
    float* data(int index) { return m_values.data() + m_entries[size_t(index)].offset; }
    const float* data(int index) const { return m_values.data() + m_entries[size_t(index)].offset; }
    const Entry& entry(int index) const { return m_entries[size_t(index)]; }
    // Every tensor by its name into a safetensors file (written to a temporary, then renamed).
    Status save(const QString& path) const;

private:
    std::vector<Entry> m_entries;
    std::vector<Init> m_inits;
    std::vector<float> m_values;
    size_t m_size = 0;
};

}  // namespace attnscope::core::train
