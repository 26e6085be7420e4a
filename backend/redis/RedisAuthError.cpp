#include "backend/redis/RedisAuthError.h"

namespace querydeck::RedisAuthError {

namespace {

bool needsPassword(const QString& error)
{
    return error.contains(QLatin1String("NOAUTH"));
}

bool refused(const QString& error)
{
    return error.contains(QLatin1String("WRONGPASS")) ||
           error.contains(QLatin1String("invalid password")) ||
           (error.contains(QLatin1String("AUTH")) && error.contains(QLatin1String("refused")));
}

bool noPasswordOnServer(const QString& error)
{
    return error.contains(QLatin1String("without any password configured"));
}

} // namespace

bool isAuthError(const QString& error)
{
    return needsPassword(error) || refused(error) || noPasswordOnServer(error);
}

QString explain(const QString& error, const QString& field, const QString& reference)
{
    if (noPasswordOnServer(error))
        return QStringLiteral("the server has no password, but %1 gives one (%2); remove %1 or "
                              "set requirepass on the server — %3")
            .arg(field, reference, error);
    if (needsPassword(error) && reference.isEmpty())
        return QStringLiteral("the server needs a password: store it in the keychain and set %1 "
                              "(e.g. {\"keychain\": \"redis\"}) — %2")
            .arg(field, error);
    if (refused(error) || needsPassword(error))
        return QStringLiteral("the server refused the password from %1 (%2): wrong password — %3")
            .arg(reference.isEmpty() ? QStringLiteral("the keychain") : reference, field, error);
    return error;
}

} // namespace querydeck::RedisAuthError
