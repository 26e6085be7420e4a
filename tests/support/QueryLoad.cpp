#include "QueryLoad.h"

#include "RawHttp.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <chrono>

namespace querydeck::test {

QueryLoad::QueryLoad(quint16 port, int clients, int distinctQueries, QByteArray queryPrefix)
    : m_port(port)
    , m_clients(clients)
    , m_distinct(std::max(1, distinctQueries))
    , m_prefix(queryPrefix.isEmpty() ? QByteArray("how do I drain a replica, case") : queryPrefix)
{
}

QueryLoad::~QueryLoad()
{
    stop();
}

void QueryLoad::start()
{
    if (m_running.exchange(true))
        return;
    for (int i = 0; i < m_clients; ++i)
        m_threads.emplace_back([this, i] { run(i); });
}

void QueryLoad::stop()
{
    m_running = false;
    for (std::thread& thread : m_threads)
        thread.join();
    m_threads.clear();
}

QueryLoad::Counts QueryLoad::counts() const
{
    QMutexLocker lock(&m_mutex);
    return m_counts;
}

void QueryLoad::resetCounts()
{
    QMutexLocker lock(&m_mutex);
    m_counts = {};
}

void QueryLoad::run(int client)
{
    using Clock = std::chrono::steady_clock;
    const auto interval = m_rate > 0 ? std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(m_clients / m_rate))
                                     : Clock::duration::zero();
    // Spread the clients' slots over one interval.
    auto next = Clock::now() + interval * client / std::max(1, m_clients);
    while (m_running) {
        if (m_rate > 0) {
            std::this_thread::sleep_until(next);
            next = std::max(next + interval, Clock::now());
            if (!m_running)
                break;
        }
        const qint64 n = m_sequence.fetch_add(1) % m_distinct;
        const QByteArray body =
            QJsonDocument(QJsonObject{{QStringLiteral("query"),
                                       QString::fromUtf8(m_prefix + ' ' + QByteArray::number(n))}})
                .toJson(QJsonDocument::Compact);
        const RawResponse response = RawHttp::postJson(m_port, "/v1/query", body);
        QMutexLocker lock(&m_mutex);
        if (response.status == 0) {
            ++m_counts.transport;
            m_counts.lastFailure = response.error;
            continue;
        }
        ++m_counts.byStatus[response.status];
        if (response.status / 100 != 2) {
            ++m_counts.non2xx;
            m_counts.lastFailure = QByteArray::number(response.status) + ' ' + response.body;
            continue;
        }
        ++m_counts.ok;
        ++m_counts.byReplica[replicaOf(response.body)];
    }
}

QString QueryLoad::replicaOf(const QByteArray& answerBody)
{
    return QJsonDocument::fromJson(answerBody).object().value(QStringLiteral("replica")).toString();
}

} // namespace querydeck::test
