#include "backend/retrieval/HttpJsonResponse.h"

#include "backend/common/BoundedJson.h"
#include "backend/retrieval/HttpJsonClient.h"

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

void HttpJsonResponse::readBody(const QString& from)
{
    const bool success = status >= 200 && status < 300;
    if (raw.isEmpty()) {
        if (success && status != 204) {
            failure = Failure::BadJson;
            error = QStringLiteral("empty response body from %1, expected JSON").arg(from);
        }
        return;
    }
    const BoundedJson::Result parsed = BoundedJson::parse(
        raw, BoundedJson::replyLimits(HttpJsonClient::kMaxResponseBytes), QString());
    body = parsed.document;
    if (!parsed.ok() && success) {
        failure = Failure::BadJson;
        error = parsed.error == BoundedJson::Error::Invalid
                    ? QStringLiteral("response from %1 is not valid JSON: %2 at offset %3")
                          .arg(from, parsed.parserError)
                          .arg(parsed.offset)
                    : QStringLiteral("response from %1: %2").arg(from, parsed.detail);
    }
}

} // namespace querydeck
