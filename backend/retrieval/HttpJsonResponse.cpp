#include "retrieval/HttpJsonResponse.h"

#include <QJsonObject>
#include <QJsonValue>

namespace querydeck {

QString HttpJsonResponse::describe() const
{
    if (!error.isEmpty())
        return status > 0 ? QStringLiteral("HTTP %1: %2").arg(status).arg(error) : error;
    // Servers put their own explanation in the body: Ollama as {"error": "..."},
    // OpenAI-compatible ones as {"error": {"message": "..."}}.
    const QJsonValue serverError = body.object().value(QLatin1String("error"));
    const QString serverMessage =
        serverError.isString() ? serverError.toString()
                               : serverError.toObject().value(QLatin1String("message")).toString();
    if (!serverMessage.isEmpty())
        return QStringLiteral("HTTP %1: %2").arg(status).arg(serverMessage.left(300));
    QString text = QString::fromUtf8(raw.left(300)).simplified();
    if (raw.size() > 300)
        text += QStringLiteral("...");
    return text.isEmpty() ? QStringLiteral("HTTP %1").arg(status)
                          : QStringLiteral("HTTP %1: %2").arg(status).arg(text);
}

} // namespace querydeck
