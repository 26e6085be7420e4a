#include "backend/retrieval/OllamaEmbedder.h"

#include "backend/retrieval/HttpJsonClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <cmath>

namespace querydeck {

OllamaEmbedder::OllamaEmbedder(const OllamaConfig& config)
    : m_config(config)
    , m_endpoint(HttpJsonClient::endpoint(QUrl(config.url), QStringLiteral("/api/embeddings")))
{
}

int OllamaEmbedder::dimension() const
{
    return m_dimension.load();
}

QString OllamaEmbedder::id() const
{
    return QStringLiteral("ollama:") + m_config.model;
}

QString OllamaEmbedder::probe()
{
    return embed(QStringLiteral("dimension probe")).error;
}

QString OllamaEmbedder::readEmbedding(const QJsonObject& reply, std::vector<float>* vector)
{
    vector->clear();
    const auto failed = [&](const QString& what) {
        vector->clear();
        return what;
    };
    const QJsonValue field = reply.value(QLatin1String("embedding"));
    if (!field.isArray())
        return failed(field.isUndefined() ? QStringLiteral("reply has no 'embedding' field")
                                          : QStringLiteral("'embedding' is not an array"));
    const QJsonArray values = field.toArray();
    if (values.isEmpty())
        return failed(QStringLiteral("'embedding' is empty"));
    if (values.size() > kMaxDimension)
        return failed(QStringLiteral("'embedding' has %1 values, more than the limit of %2")
                          .arg(values.size())
                          .arg(kMaxDimension));

    vector->reserve(values.size());
    double squares = 0.0;
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (!values[i].isDouble())
            return failed(QStringLiteral("'embedding'[%1] is not a number").arg(i));
        const double value = values[i].toDouble();
        squares += value * value;
        vector->push_back(static_cast<float>(value));
    }
    const double norm = std::sqrt(squares);
    if (!(norm > 0.0) || !std::isfinite(norm))
        return failed(QStringLiteral("'embedding' has zero or non-finite length and cannot be "
                                     "normalised"));
    for (float& value : *vector)
        value = static_cast<float>(value / norm);
    return {};
}

Embedding OllamaEmbedder::embed(const QString& text)
{
    Embedding result;
    const auto fail = [&](const QString& what) {
        result.vector.clear();
        result.error = QStringLiteral("Ollama embeddings (%1, model '%2'): %3")
                           .arg(m_endpoint.toString(QUrl::RemoveUserInfo), m_config.model, what);
        return result;
    };
    if (m_config.model.isEmpty())
        return fail(QStringLiteral("no model configured (embedder.ollama.model is empty)"));

    RetryPolicy policy;
    policy.retries = m_config.retries;
    const HttpJsonResponse response = HttpJsonClient::postWithRetry(
        m_endpoint, {{QStringLiteral("model"), m_config.model}, {QStringLiteral("prompt"), text}},
        {}, std::chrono::milliseconds(m_config.timeoutMs), policy);
    if (!response.ok())
        return fail(response.describe());

    const QString problem = readEmbedding(response.body.object(), &result.vector);
    if (!problem.isEmpty())
        return fail(problem);

    const int got = static_cast<int>(result.vector.size());
    int expected = 0;
    if (!m_dimension.compare_exchange_strong(expected, got) && expected != got)
        return fail(QStringLiteral("dimension changed: reply has %1 values, earlier replies had "
                                   "%2 (was the model replaced on the server?)")
                        .arg(got)
                        .arg(expected));
    return result;
}

} // namespace querydeck
