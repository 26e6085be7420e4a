#include "backend/redisops/ServiceReplicaProbe.h"

#include "backend/common/BoundedJson.h"
#include "backend/metrics/ExpositionParser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>
#include <algorithm>
#include <memory>
#include <optional>

namespace querydeck {

namespace {

constexpr qint64 kMaxBodyBytes = 8 * 1024 * 1024; // /metrics of a busy replica is ~100 KiB

} // namespace

ServiceReplicaProbe::ServiceReplicaProbe(QObject* parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
}

bool ServiceReplicaProbe::validUrl(const QString& url, QString* error)
{
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() ||
        (parsed.scheme() != QLatin1String("http") && parsed.scheme() != QLatin1String("https"))) {
        *error = QStringLiteral("QueryDeck replica \"%1\": not an http(s) URL").arg(url);
        return false;
    }
    if (parsed.host().isEmpty() ||
        (!parsed.path().isEmpty() && parsed.path() != QLatin1String("/"))) {
        *error = QStringLiteral("QueryDeck replica \"%1\": give the base URL "
                                "(http://host:port), without a path")
                     .arg(url);
        return false;
    }
    return true;
}

bool ServiceReplicaProbe::parseInfo(const QByteArray& body, State* state, QString* error)
{
    // Our own replica's /v1/info is a flat object: the request-body bound fits.
    const BoundedJson::Result parsed =
        BoundedJson::parse(body, JsonLimits{BoundedJson::kRequestDepth, kMaxBodyBytes}, QString());
    if (!parsed.document.isObject()) {
        *error = QStringLiteral("/v1/info is not a JSON object (%1)")
                     .arg(parsed.error == BoundedJson::Error::Invalid ? parsed.parserError
                          : parsed.ok() ? QStringLiteral("got an array")
                                        : parsed.detail);
        return false;
    }
    const QJsonValue cache = parsed.document.object().value(QLatin1String("cache"));
    if (!cache.isObject()) {
        *error = QStringLiteral("/v1/info has no \"cache\" object");
        return false;
    }
    const QJsonObject c = cache.toObject();
    state->usesRedis = c.value(QLatin1String("store")).toString() == QLatin1String("redis");
    const QJsonValue master = c.value(QLatin1String("redis_master"));
    if (state->usesRedis && !master.isString()) {
        // A replica built before the field existed cannot be verified.
        *error = QStringLiteral("/v1/info has no cache.redis_master (an older QueryDeck?)");
        return false;
    }
    state->redisMaster = master.toString();
    return true;
}

double ServiceReplicaProbe::parseFailedQueries(const QByteArray& metrics, QString* error)
{
    State state;
    return parseMetrics(metrics, &state, error) ? state.failedQueries : -1;
}

bool ServiceReplicaProbe::parseMetrics(const QByteArray& metrics, State* state, QString* error)
{
    const SourceResult parsed = ExpositionParser::parse(metrics, 0);
    bool seen = false;
    double failed = 0;
    double fallbacks = -1;
    bool degraded = false;
    for (const Sample& s : parsed.samples) {
        if (s.key.name == QLatin1String("querydeck_cache_redis_fallbacks_total")) {
            fallbacks = std::max(0.0, fallbacks) + s.value;
            continue;
        }
        if (s.key.name == QLatin1String("querydeck_cache_degraded")) {
            degraded = degraded || s.value > 0;
            continue;
        }
        if (s.key.name != QLatin1String("querydeck_http_requests_total") ||
            s.key.label(QStringLiteral("route")) != QLatin1String("/v1/query"))
            continue;
        seen = true;
        if (s.key.label(QStringLiteral("code")).startsWith(QLatin1Char('5')))
            failed += s.value;
    }
    if (!seen) {
        // A fresh replica that has answered no query yet has no such series
        // either; that is 0, not an error, once the exposition is valid.
        if (!metrics.contains("querydeck_")) {
            *error = QStringLiteral("/metrics has no querydeck_ metrics");
            return false;
        }
    }
    state->failedQueries = failed;
    state->cacheFallbacks = fallbacks;
    state->cacheDegraded = degraded;
    return true;
}

qint64 ServiceReplicaProbe::failedBetween(const QList<State>& before, const QList<State>& after,
                                          QString* detail)
{
    qint64 failed = 0;
    int measured = 0;
    QStringList missing;
    for (const State& s : after) {
        const State* first = nullptr;
        for (const State& b : before) {
            if (b.url == s.url)
                first = &b;
        }
        if (s.failedQueries < 0 || !first || first->failedQueries < 0) {
            missing << QStringLiteral("%1 (%2)").arg(s.url, !s.error.isEmpty() ? s.error
                                                            : first && !first->error.isEmpty()
                                                                ? first->error
                                                                : QStringLiteral("not read"));
            continue;
        }
        ++measured;
        // A counter that went down means the replica restarted: all it
        // counted since is within the window.
        const double delta = s.failedQueries >= first->failedQueries
                                 ? s.failedQueries - first->failedQueries
                                 : s.failedQueries;
        failed += qint64(delta);
    }
    if (measured == 0) {
        *detail = QStringLiteral("not measured: %1").arg(missing.join(QStringLiteral(", ")));
        return -1;
    }
    *detail =
        QStringLiteral("5xx answers to /v1/query on %1 QueryDeck replica(s), from their /metrics "
                       "at the trigger and after the verification")
            .arg(measured);
    if (!missing.isEmpty())
        *detail += QStringLiteral("; not counted: %1").arg(missing.join(QStringLiteral(", ")));
    return failed;
}

void ServiceReplicaProbe::read(const QStringList& baseUrls, bool withInfo, Callback done)
{
    auto states = std::make_shared<QList<State>>();
    auto pending = std::make_shared<int>(0);
    for (const QString& url : baseUrls) {
        State s;
        s.url = url;
        QString problem;
        if (!validUrl(url, &problem))
            s.error = problem;
        else
            *pending += withInfo ? 2 : 1;
        states->append(s);
    }
    if (*pending == 0) {
        done(*states);
        return;
    }
    auto finishOne = [states, pending, done] {
        if (--*pending == 0)
            done(*states);
    };
    for (qsizetype i = 0; i < states->size(); ++i) {
        if (!states->at(i).error.isEmpty())
            continue;
        const QString base = states->at(i).url.endsWith(QLatin1Char('/'))
                                 ? states->at(i).url.chopped(1)
                                 : states->at(i).url;
        auto get = [this, base](const char* path) {
            QNetworkRequest request(QUrl(base + QLatin1String(path)));
            request.setTransferTimeout(m_timeoutMs);
            return m_network->get(request);
        };
        auto fail = [states, i](const QString& what) {
            State& s = (*states)[i];
            if (s.error.isEmpty())
                s.error = what;
        };
        auto bodyOf = [fail](QNetworkReply* reply, const char* path) -> std::optional<QByteArray> {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (reply->error() != QNetworkReply::NoError && status == 0) {
                fail(QStringLiteral("%1: %2").arg(
                    QLatin1String(path), reply->error() == QNetworkReply::OperationCanceledError
                                             ? QStringLiteral("no answer in time")
                                             : reply->errorString()));
                return std::nullopt;
            }
            if (status != 200) {
                fail(QStringLiteral("%1 answered %2").arg(QLatin1String(path)).arg(status));
                return std::nullopt;
            }
            const QByteArray body = reply->read(kMaxBodyBytes);
            if (reply->bytesAvailable() > 0) {
                fail(QStringLiteral("%1: answer larger than %2 bytes")
                         .arg(QLatin1String(path))
                         .arg(kMaxBodyBytes));
                return std::nullopt;
            }
            return body;
        };
        QNetworkReply* metrics = get("/metrics");
        connect(metrics, &QNetworkReply::finished, this,
                [metrics, states, i, fail, bodyOf, finishOne] {
                    if (const auto body = bodyOf(metrics, "/metrics")) {
                        QString problem;
                        if (!parseMetrics(*body, &(*states)[i], &problem))
                            fail(problem);
                    }
                    finishOne();
                });
        if (!withInfo)
            continue;
        QNetworkReply* info = get("/v1/info");
        connect(info, &QNetworkReply::finished, this, [info, states, i, fail, bodyOf, finishOne] {
            if (const auto body = bodyOf(info, "/v1/info")) {
                QString problem;
                if (!parseInfo(*body, &(*states)[i], &problem))
                    fail(problem);
            }
            finishOne();
        });
    }
}

} // namespace querydeck
