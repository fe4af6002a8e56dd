#include "tokenize/vocabulary.h"

#include <algorithm>

namespace attnscope::core {

bool Vocabulary::add(const QString& token, int id) {
    if (id < 0 || id > kMaxId) return false;
    m_ids.insert(token, id);
    m_tokens.insert(id, token);
    m_maxId = std::max(m_maxId, id);
    m_longest = std::max(m_longest, int(token.size()));  // UTF-16 units >= code points: a safe bound
    return true;
}

}  // namespace attnscope::core
