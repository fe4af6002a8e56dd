#pragma once

// A small valid trace file's tensors and metadata, which tests break one way each.
#include "io/safetensors_writer.h"

#include <QHash>
#include <QString>

#include <algorithm>
#include <deque>
#include <vector>

namespace attnscope::test {

using core::DType;
using core::NamedTensor;
using core::Shape;
using core::Status;

// A small valid trace's tensors and metadata (2 layers, 2 heads, 3 tokens, d 4, causal), which the
// malformed cases break one way each.
struct Draft {
    QHash<QString, QString> meta;
    std::vector<QString> names;
    std::vector<Shape> shapes;
    std::vector<std::vector<float>> values;
    std::vector<DType> dtypes;  // F32, or U8 (values rounded to bytes)
    void add(const QString& name, Shape shape, std::vector<float> v, DType dtype = DType::F32) {
        names.push_back(name);
        shapes.push_back(std::move(shape));
        values.push_back(std::move(v));
        dtypes.push_back(dtype);
    }
    int find(const QString& name) const { return int(std::find(names.begin(), names.end(), name) - names.begin()); }
    void remove(const QString& name) {
        const int i = find(name);
        names.erase(names.begin() + i);
        shapes.erase(shapes.begin() + i);
        values.erase(values.begin() + i);
        dtypes.erase(dtypes.begin() + i);
    }
    Status write(const QString& path) const {
        std::vector<NamedTensor> tensors;
        std::deque<std::vector<uint8_t>> bytes;
        for (size_t i = 0; i < names.size(); ++i) {
            tensors.push_back({names[i], shapes[i], values[i].data(), nullptr, dtypes[i]});
            if (dtypes[i] == DType::U8) {
                bytes.emplace_back(values[i].begin(), values[i].end());
                tensors.back().data8 = bytes.back().data();
            }
        }
        return writeSafetensors(path, tensors, meta);
    }
};

inline Draft validDraft() {
    Draft d;
    d.meta = {{"format", "attnscope-trace"}, {"version", "1"}, {"model", "tiny"}, {"text", "a b c"},
              {"tokens", R"(["a","b","c"])"}, {"offsets", "[[0,1],[2,3],[4,5]]"}, {"num_layers", "2"}, {"num_heads", "2"},
              {"num_kv_heads", "2"}, {"head_dim", "4"}, {"causal", "true"}};
    const std::vector<float> causal{1, 0, 0, 0.5f, 0.5f, 0, 0.25f, 0.25f, 0.5f};  // (3, 3)
    for (int l = 0; l < 2; ++l) {
        std::vector<float> a;
        for (int h = 0; h < 2; ++h) a.insert(a.end(), causal.begin(), causal.end());
        d.add(QStringLiteral("attentions.%1").arg(l), {2, 3, 3}, a);
        d.add(QStringLiteral("v.%1").arg(l), {2, 3, 4}, std::vector<float>(24, 0.5f));
    }
    return d;
}

}  // namespace attnscope::test
