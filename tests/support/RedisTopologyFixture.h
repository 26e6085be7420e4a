#pragma once

#include "backend/redisops/FailoverRequest.h"

#include <QList>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <functional>
#include <memory>
#include <vector>

namespace querydeck::test {

// Real Redis servers for the console's Redis tests, each a redis-server or
// redis-sentinel child process in the foreground, on free loopback ports,
// with its config and data in one QTemporaryDir:
//   - a standalone server;
//   - a Sentinel topology: a master, replicas and sentinels monitoring it
//     under kMasterName (down-after-milliseconds 1500);
//   - a Redis Cluster of 3 masters + 3 replicas made by `redis-cli --cluster create`.
// start*() return an error text (empty on success) once every server
// answers and the topology has settled (replicas online, sentinels know each
// other and the replicas, cluster state ok); a test must QVERIFY2 it so that
// it fails, never skips, when a server cannot start. stop() (and the
// destructor) kill every process. Test-thread only; blocking by design.
class RedisTopologyFixture
{
public:
    static constexpr const char* kMasterName = "qdmaster";
    static constexpr int kDownAfterMs = 1500;

    RedisTopologyFixture();
    ~RedisTopologyFixture();

    QString startStandalone();
    QString startSentinelTopology(int replicas = 2, int sentinels = 3);
    QString startCluster();
    void stop();

    quint16 masterPort() const { return m_masterPort; }
    QList<quint16> replicaPorts() const { return m_replicaPorts; }
    QList<quint16> sentinelPorts() const { return m_sentinelPorts; }
    QList<quint16> clusterPorts() const { return m_clusterPorts; }
    // The Sentinel topology's master and replicas, as started: after a
    // failover one of them is master, ask currentMaster() which.
    QList<quint16> dataPorts() const { return QList<quint16>{m_masterPort} + m_replicaPorts; }
    // A Sentinel failover of this topology (its master name and sentinels),
    // Sentinel picking the replica, with a 60 s timeout.
    FailoverRequest failoverRequest() const;

    // "127.0.0.1:port", as the servers and Sentinel name each other.
    static QString address(quint16 port);
    // Which of `ports` the servers themselves say is master (ROLE),
    // independent of the code under test; empty when none is.
    static QString currentMaster(const QList<quint16>& ports);

    // Runs redis-cli against 127.0.0.1:port (bounded to a few seconds) and
    // returns its output, trimmed; on failure an empty string and *error set.
    static QString cli(quint16 port, const QStringList& args, QString* error = nullptr);
    // A free port p whose cluster bus port p + 10000 is free too.
    static quint16 freePort(bool withBusPort = false);
    // Kills (SIGKILL) the server on that port, for failure drills.
    bool kill(quint16 port);

private:
    QString launch(const QString& program, const QString& name, quint16 port,
                   const QStringList& configLines);
    QString waitUntil(const std::function<bool()>& condition, int timeoutMs, const QString& what);

    std::unique_ptr<QTemporaryDir> m_dir;
    struct Server
    {
        quint16 port = 0;
        std::unique_ptr<QProcess> process;
    };
    std::vector<Server> m_servers;
    quint16 m_masterPort = 0;
    QList<quint16> m_replicaPorts;
    QList<quint16> m_sentinelPorts;
    QList<quint16> m_clusterPorts;
};

} // namespace querydeck::test
