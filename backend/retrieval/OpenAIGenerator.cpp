#include "backend/retrieval/OpenAIGenerator.h"

#include "backend/retrieval/HttpJsonClient.h"
#include "backend/retrieval/PromptBuilder.h"

#include <QJsonArray>
#include <QJsonObject>
#include <algorithm>

namespace querydeck {

namespace {

// "HTTP 401 (invalid_request_error, invalid_api_key): Incorrect API key provided"
QString describeError(const HttpJsonResponse& response)
{
    const QJsonValue error = response.body.object().value(QLatin1String("error"));
    if (!error.isObject())
        return response.describe();
    const QJsonObject fields = error.toObject();
    QStringList kinds;
    for (const QLatin1String key : {QLatin1String("type"), QLatin1String("code")}) {
        const QJsonValue value = fields.value(key);
        if (value.isString() && !value.toString().isEmpty())
            kinds << value.toString();
        else if (value.isDouble())
            kinds << QString::number(value.toInteger());
    }
    QString text = QStringLiteral("HTTP %1").arg(response.status);
    if (!kinds.isEmpty())
        text += QStringLiteral(" (%1)").arg(kinds.join(QStringLiteral(", ")));
    const QString message = fields.value(QLatin1String("message")).toString().left(500);
    return message.isEmpty() ? text : text + QStringLiteral(": ") + message;
}

} // namespace

OpenAIGenerator::OpenAIGenerator(const OpenAIConfig& config, QString apiKey)
    : m_config(config)
    , m_apiKey(std::move(apiKey))
    , m_endpoint(HttpJsonClient::endpoint(QUrl(config.url), QStringLiteral("/v1/chat/completions")))
{
}

QString OpenAIGenerator::name() const
{
    return QStringLiteral("openai:") + m_config.model;
}

QString OpenAIGenerator::readAnswer(const HttpJsonResponse& response, QString* answer)
{
    if (!response.error.isEmpty())
        return response.describe();
    if (!response.ok())
        return describeError(response);

    const QJsonValue choices = response.body.object().value(QLatin1String("choices"));
    if (!choices.isArray() || choices.toArray().isEmpty())
        return QStringLiteral("reply has no 'choices' (or it is empty)");
    const QJsonValue content = choices.toArray()
                                   .first()
                                   .toObject()
                                   .value(QLatin1String("message"))
                                   .toObject()
                                   .value(QLatin1String("content"));
    if (!content.isString())
        return QStringLiteral("reply has no string 'choices[0].message.content'");
    *answer = content.toString().trimmed();
    if (answer->isEmpty())
        return QStringLiteral("'choices[0].message.content' is empty");
    return {};
}

GenerationResult OpenAIGenerator::generate(const GenerationRequest& request)
{
    GenerationResult result;
    result.model = name();
    const auto fail = [&](const QString& what) {
        result.error = QStringLiteral("OpenAI chat completions (%1, model '%2'): %3")
                           .arg(m_endpoint.toString(QUrl::RemoveUserInfo), m_config.model, what);
        return result;
    };
    if (m_config.model.isEmpty())
        return fail(QStringLiteral("no model configured (generator.openai.model is empty)"));

    const QJsonArray messages{
        QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                    {QStringLiteral("content"), PromptBuilder::systemPrompt()}},
        QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                    {QStringLiteral("content"), PromptBuilder::userPrompt(request)}}};
    const QJsonObject body{{QStringLiteral("model"), m_config.model},
                           {QStringLiteral("messages"), messages},
                           {QStringLiteral("temperature"), m_config.temperature},
                           {QStringLiteral("max_tokens"), m_config.maxTokens}};
    HttpHeaders headers;
    if (!m_apiKey.isEmpty())
        headers.append({QByteArrayLiteral("Authorization"), "Bearer " + m_apiKey.toUtf8()});

    RetryPolicy policy;
    policy.retries = m_config.retries;
    const auto attemptTimeout =
        std::min(std::chrono::milliseconds(m_config.timeoutMs), request.timeout);
    const HttpJsonResponse response = HttpJsonClient::postWithRetry(
        m_endpoint, body, headers, attemptTimeout, policy, {}, QDeadlineTimer(request.timeout));
    const QString problem = readAnswer(response, &result.answer);
    if (!problem.isEmpty())
        return fail(problem);
    return result;
}

} // namespace querydeck
