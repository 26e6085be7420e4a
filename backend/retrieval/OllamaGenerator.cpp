#include "backend/retrieval/OllamaGenerator.h"

#include "backend/retrieval/HttpJsonClient.h"
#include "backend/retrieval/PromptBuilder.h"

#include <QJsonObject>
#include <algorithm>

namespace querydeck {

OllamaGenerator::OllamaGenerator(const OllamaConfig& config)
    : m_config(config)
    , m_endpoint(HttpJsonClient::endpoint(QUrl(config.url), QStringLiteral("/api/generate")))
{
}

QString OllamaGenerator::name() const
{
    return QStringLiteral("ollama:") + m_config.model;
}

QString OllamaGenerator::readAnswer(const QJsonObject& reply, QString* answer)
{
    const QJsonValue done = reply.value(QLatin1String("done"));
    if (done.isBool() && !done.toBool())
        return QStringLiteral("reply has \"done\": false (incomplete answer)");
    const QJsonValue text = reply.value(QLatin1String("response"));
    if (!text.isString())
        return text.isUndefined() ? QStringLiteral("reply has no 'response' field")
                                  : QStringLiteral("'response' is not a string");
    *answer = text.toString().trimmed();
    if (answer->isEmpty())
        return QStringLiteral("'response' is empty");
    return {};
}

GenerationResult OllamaGenerator::generate(const GenerationRequest& request)
{
    GenerationResult result;
    result.model = name();
    const auto fail = [&](const QString& what) {
        result.error = QStringLiteral("Ollama generate (%1, model '%2'): %3")
                           .arg(m_endpoint.toString(QUrl::RemoveUserInfo), m_config.model, what);
        return result;
    };
    if (m_config.model.isEmpty())
        return fail(QStringLiteral("no model configured (generator.ollama.model is empty)"));

    const QJsonObject body{{QStringLiteral("model"), m_config.model},
                           {QStringLiteral("system"), PromptBuilder::systemPrompt()},
                           {QStringLiteral("prompt"), PromptBuilder::userPrompt(request)},
                           {QStringLiteral("stream"), false}};
    RetryPolicy policy;
    policy.retries = m_config.retries;
    const auto attemptTimeout =
        std::min(std::chrono::milliseconds(m_config.timeoutMs), request.timeout);
    const HttpJsonResponse response = HttpJsonClient::postWithRetry(
        m_endpoint, body, {}, attemptTimeout, policy, {}, QDeadlineTimer(request.timeout));
    if (!response.ok())
        return fail(response.describe());

    const QString problem = readAnswer(response.body.object(), &result.answer);
    if (!problem.isEmpty())
        return fail(problem);
    return result;
}

} // namespace querydeck
