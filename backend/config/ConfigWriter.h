#pragma once

#include "backend/service/ServiceConfig.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

namespace querydeck {

// Turns a ServiceConfig into the JSON document ConfigLoader reads: every
// field written, in the same snake_case keys; unset secret references and
// unset options as null. Secrets are written as references only — a
// ServiceConfig never holds a secret value.
//
// Thread rules: stateless; call from any thread.
class ConfigWriter
{
public:
    static QByteArray toJson(const ServiceConfig& config);
    static QJsonValue secretToJson(const SecretRef& ref);
    static QJsonObject redisToJson(const RedisConfig& redis);
};

} // namespace querydeck
