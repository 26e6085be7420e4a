#pragma once

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>
#include <atomic>
#include <thread>
#include <vector>

namespace querydeck::test {

// Closed-loop load for fleet tests and benchmarks: `clients` threads each send
// POST /v1/query to 127.0.0.1:port one after another (a new connection per
// request) and count what came back: statuses, transport errors, and which
// replica answered (the "replica" field of each answer). With setRate() the
// clients are paced to that many requests per second in all (a client that
// falls behind does not burst to catch up).
class QueryLoad
{
public:
    struct Counts
    {
        qint64 ok = 0;        // 2xx
        qint64 non2xx = 0;    // an HTTP answer that is not 2xx
        qint64 transport = 0; // no answer at all (refused, reset, timeout)
        QHash<QString, qint64> byReplica;
        QHash<int, qint64> byStatus;
        QByteArray lastFailure;
        qint64 total() const { return ok + non2xx + transport; }
    };

    // The "replica" field of a query answer; empty when the body has none.
    static QString replicaOf(const QByteArray& answerBody);

    // `distinctQueries`: the questions cycle through this many texts; small
    // means cache hits after the first round, large means misses.
    QueryLoad(quint16 port, int clients, int distinctQueries = 8, QByteArray queryPrefix = {});
    ~QueryLoad();

    // Requests per second over all clients; 0 (the default) = as fast as answered.
    // Call before start().
    void setRate(double perSecond) { m_rate = perSecond; }
    void start();
    void stop();
    Counts counts() const;
    void resetCounts();

private:
    void run(int client);

    quint16 m_port;
    int m_clients;
    int m_distinct;
    QByteArray m_prefix;
    double m_rate = 0;
    std::atomic<bool> m_running{false};
    std::atomic<qint64> m_sequence{0};
    std::vector<std::thread> m_threads;
    mutable QMutex m_mutex;
    Counts m_counts;
};

} // namespace querydeck::test
