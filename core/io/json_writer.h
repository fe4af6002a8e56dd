#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QString>

#include <cstdint>
#include <vector>

namespace attnscope::core {

// Streams JSON to a device without building a document (traces reach hundreds of MB). Floats
// are written in their shortest round-trip form; non-finite ones as null.
class JsonWriter {
public:
    explicit JsonWriter(QIODevice* out) : m_out(out) {}
    ~JsonWriter() { flush(); }

    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    void key(const QString& name);
    void value(const QString& s);
    void value(const char* s) { value(QString::fromUtf8(s)); }
    void value(int64_t v);
    void value(int v) { value(int64_t(v)); }
    void value(double v);
    void value(float v);
    void value(bool v);
    // [x0, x1, ...] with count elements taken every `stride` floats.
    void floats(const float* data, int64_t count, int64_t stride = 1);
    void ints(const std::vector<int>& values);

    void endLine() { raw('\n'); }
    bool flush();  // false if the device refused data
    bool failed() const { return m_failed; }

private:
    void separate();
    void raw(const char* s, size_t n);
    void raw(char c);
    void number(float v);

    QIODevice* m_out;
    QByteArray m_buffer;
    std::vector<bool> m_first;  // per open container: no element written yet
    bool m_afterKey = false;
    bool m_failed = false;
};

}  // namespace attnscope::core
