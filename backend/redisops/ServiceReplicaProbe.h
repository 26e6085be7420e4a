#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

class QNetworkAccessManager;

namespace querydeck {

// What the failover controller reads from each QueryDeck replica, over its
// HTTP API: GET /v1/info (`cache.redis_master`, the Redis master its cache
// connections go to now) and GET /metrics (5xx answers to /v1/query so far,
// from querydeck_http_requests_total; the cache's fallbacks to memory).
// read() asks every replica at once and
// calls back once all answered or timed out; each request is bounded by the
// timeout, so a replica that hangs cannot stall the failover. Lives on the
// thread that created it (asynchronous, QNetworkAccessManager).
class ServiceReplicaProbe : public QObject
{
    Q_OBJECT

public:
    struct State
    {
        QString url;   // base URL, e.g. http://127.0.0.1:8080
        QString error; // empty: what was asked was read
        bool usesRedis = false;
        QString redisMaster;       // host:port; empty when not known (or no Redis)
        double failedQueries = -1; // 5xx answers to /v1/query since start; -1 not read
        // Cache reads and writes answered from the replica's memory because
        // Redis did not (querydeck_cache_redis_fallbacks_total); -1 not read.
        double cacheFallbacks = -1;
        bool cacheDegraded = false; // querydeck_cache_degraded is 1
    };
    using Callback = std::function<void(const QList<State>&)>;

    explicit ServiceReplicaProbe(QObject* parent = nullptr);

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // `withInfo` false reads /metrics only (the baseline at the trigger).
    void read(const QStringList& baseUrls, bool withInfo, Callback done);

    // The /v1/info body's cache section; false with *error naming what is wrong.
    static bool parseInfo(const QByteArray& body, State* state, QString* error);
    // Sum of querydeck_http_requests_total{route="/v1/query",code="5xx"} in
    // an exposition text; -1 with *error when the family is absent.
    static double parseFailedQueries(const QByteArray& metrics, QString* error);
    // parseFailedQueries into state->failedQueries, and the cache's fallback
    // counter and degraded flag, in one pass; false with *error as it.
    static bool parseMetrics(const QByteArray& metrics, State* state, QString* error);
    // The 5xx answers to /v1/query between two reads of the same replicas
    // (a counter that went down means a restart: all it counted since is
    // in). -1 when no replica was read both times; *detail says how it was
    // measured and names any replica left out.
    static qint64 failedBetween(const QList<State>& before, const QList<State>& after,
                                QString* detail);
    // A base URL the probe can use: http(s)://host:port with no path; else *error.
    static bool validUrl(const QString& url, QString* error);

private:
    QNetworkAccessManager* m_network;
    int m_timeoutMs = 2000;
};

} // namespace querydeck
