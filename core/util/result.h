#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace attnscope::core {

// An error message for the user: says what is wrong and where (file, tensor, key).
struct Error {
    QString message;
    // Bad input (exit status 2) versus an internal failure (exit status 1).
    bool internal = false;
};

// A value or an error. Loaders and parsers return this instead of throwing.
template <typename T>
class Result {
public:
    Result(T value) : m_value(std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(Error error) : m_error(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    T& value() & { return *m_value; }
    const T& value() const& { return *m_value; }
    T&& value() && { return std::move(*m_value); }
    T* operator->() { return &*m_value; }
    const T* operator->() const { return &*m_value; }
    T& operator*() & { return *m_value; }
    const T& operator*() const& { return *m_value; }

    const Error& error() const { return m_error; }
    const QString& message() const { return m_error.message; }

private:
    std::optional<T> m_value;
    Error m_error;
};

// Result<void>: success or an error.
class Status {
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)), m_failed(true) {}  // NOLINT
    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_error; }
    const QString& message() const { return m_error.message; }

private:
    Error m_error;
    bool m_failed = false;
};

inline Error inputError(const QString& message) { return Error{message, false}; }
inline Error internalError(const QString& message) { return Error{message, true}; }

}  // namespace attnscope::core
