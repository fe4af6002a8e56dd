#pragma once

#include "kernels/kernels.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <cmath>
#include <optional>

namespace attnscope::core {

std::optional<kernels::Activation> activationFromName(const QString& name);

// Reads typed keys from config.json and remembers the first problem.
class ConfigReader {
public:
    explicit ConfigReader(const QJsonObject& json) : m_json(json) {}

    int required(const char* key) { return readInt(key, 0, true); }
    int optional(const char* key, int fallback) { return readInt(key, fallback, false); }

    double number(const char* key, double fallback) {
        const QJsonValue v = m_json.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) return fallback;
        if (!v.isDouble()) {
            fail(QStringLiteral("'%1' should be a number, found %2").arg(QLatin1String(key), typeName(v)));
            return fallback;
        }
        return v.toDouble();
    }

    QString string(const char* key, const QString& fallback) {
        const QJsonValue v = m_json.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) return fallback;
        if (!v.isString()) {
            fail(QStringLiteral("'%1' should be a string, found %2").arg(QLatin1String(key), typeName(v)));
            return fallback;
        }
        return v.toString();
    }

    bool boolean(const char* key, bool fallback) {
        const QJsonValue v = m_json.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) return fallback;
        if (!v.isBool()) {
            fail(QStringLiteral("'%1' should be true or false, found %2").arg(QLatin1String(key), typeName(v)));
            return fallback;
        }
        return v.toBool();
    }

    // An activation function name (hidden_act, activation, activation_function).
    kernels::Activation activation(const char* key, const char* fallback) {
        const QString name = string(key, QLatin1String(fallback));
        if (auto a = activationFromName(name)) return *a;
        fail(QStringLiteral("%1 '%2' is not supported (gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu, silu)").arg(QLatin1String(key), name));
        return kernels::Activation::GeluErf;
    }

    void fail(const QString& message) {
        if (m_error.isEmpty()) m_error = message;
    }
    const QString& error() const { return m_error; }

    static QString typeName(const QJsonValue& v) {
        switch (v.type()) {
            case QJsonValue::Bool: return QStringLiteral("a boolean");
            case QJsonValue::Double: return QStringLiteral("a number");
            case QJsonValue::String: return QStringLiteral("a string");
            case QJsonValue::Array: return QStringLiteral("an array");
            case QJsonValue::Object: return QStringLiteral("an object");
            default: return QStringLiteral("null");
        }
    }

private:
    int readInt(const char* key, int fallback, bool isRequired) {
        const QJsonValue v = m_json.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) {
            if (isRequired) fail(QStringLiteral("missing key '%1'").arg(QLatin1String(key)));
            return fallback;
        }
        const double d = v.toDouble(-1);
        if (!v.isDouble() || std::floor(d) != d || d < 0 || d > 1e9) {
            fail(QStringLiteral("'%1' should be a non-negative integer, found %2")
                     .arg(QLatin1String(key), v.isDouble() ? QString::number(d) : typeName(v)));
            return fallback;
        }
        return int(d);
    }

    const QJsonObject& m_json;
    QString m_error;
};

}  // namespace attnscope::core
