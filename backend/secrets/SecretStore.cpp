#include "backend/secrets/SecretStore.h"

#include "backend/common/JsonFieldReader.h"

namespace querydeck {

SecretResult SecretStore::readEnvironment(const QString& variable)
{
    if (!JsonFieldReader::isValidEnvName(variable))
        return {{},
                QStringLiteral("environment variable %1: not a valid variable name")
                    .arg(JsonFieldReader::describe(variable))};
    const QByteArray name = variable.toLocal8Bit();
    if (!qEnvironmentVariableIsSet(name.constData()))
        return {{}, QStringLiteral("environment variable \"%1\" is not set").arg(variable)};
    QString value = qEnvironmentVariable(name.constData());
    if (value.isEmpty())
        return {{}, QStringLiteral("environment variable \"%1\" is empty").arg(variable)};
    return {value, {}};
}

} // namespace querydeck
