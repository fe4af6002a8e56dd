#include "io/json_writer.h"

#include <charconv>
#include <cmath>

namespace attnscope::core {

void JsonWriter::raw(const char* s, size_t n) {
    m_buffer.append(s, qsizetype(n));
    if (m_buffer.size() > (1 << 20)) flush();
}

void JsonWriter::raw(char c) {
    m_buffer.append(c);
    if (m_buffer.size() > (1 << 20)) flush();
}

bool JsonWriter::flush() {
    if (!m_buffer.isEmpty() && !m_failed) {
        if (m_out->write(m_buffer) != m_buffer.size()) m_failed = true;
    }
    m_buffer.clear();
    return !m_failed;
}

void JsonWriter::separate() {
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_first.empty()) {
        if (!m_first.back()) raw(',');
        m_first.back() = false;
    }
}

void JsonWriter::beginObject() {
    separate();
    raw('{');
    m_first.push_back(true);
}

void JsonWriter::endObject() {
    raw('}');
    m_first.pop_back();
}

void JsonWriter::beginArray() {
    separate();
    raw('[');
    m_first.push_back(true);
}

void JsonWriter::endArray() {
    raw(']');
    m_first.pop_back();
}

void JsonWriter::key(const QString& name) {
    value(name);
    raw(':');
    m_afterKey = true;
}

void JsonWriter::value(const QString& s) {
    separate();
    QByteArray out;
    out.reserve(s.size() + 2);
    out.append('"');
    for (const char c : s.toUtf8()) {
        switch (c) {
            case '"': out.append("\\\""); break;
            case '\\': out.append("\\\\"); break;
            case '\n': out.append("\\n"); break;
            case '\r': out.append("\\r"); break;
            case '\t': out.append("\\t"); break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) out.append(QStringLiteral("\\u%1").arg(int(c), 4, 16, QLatin1Char('0')).toLatin1());
                else out.append(c);
        }
    }
    out.append('"');
    raw(out.constData(), size_t(out.size()));
}

void JsonWriter::value(int64_t v) {
    separate();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    raw(buf, size_t(r.ptr - buf));
}

void JsonWriter::value(double v) {
    separate();
    if (!std::isfinite(v)) return raw("null", 4);
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    raw(buf, size_t(r.ptr - buf));
}

void JsonWriter::number(float v) {
    if (!std::isfinite(v)) return raw("null", 4);
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    raw(buf, size_t(r.ptr - buf));
}

void JsonWriter::value(float v) {
    separate();
    number(v);
}

void JsonWriter::value(bool v) {
    separate();
    v ? raw("true", 4) : raw("false", 5);
}

void JsonWriter::floats(const float* data, int64_t count, int64_t stride) {
    beginArray();
    for (int64_t i = 0; i < count; ++i) {
        if (i) raw(',');
        number(data[i * stride]);
    }
    m_first.back() = count == 0;
    endArray();
}

void JsonWriter::ints(const std::vector<int>& values) {
    beginArray();
    for (int v : values) value(v);
    endArray();
}

}  // namespace attnscope::core
