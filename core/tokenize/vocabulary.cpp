#include "tokenize/vocabulary.h"

namespace attnscope::core {

void Vocabulary::add(const QString& token, int id) {
    if (id < 0) return;
    m_ids.insert(token, id);
    if (size_t(id) >= m_tokens.size()) m_tokens.resize(size_t(id) + 1);
    m_tokens[size_t(id)] = token;
}

QString Vocabulary::token(int id) const {
    return id >= 0 && size_t(id) < m_tokens.size() ? m_tokens[size_t(id)] : QString();
}

}  // namespace attnscope::core
