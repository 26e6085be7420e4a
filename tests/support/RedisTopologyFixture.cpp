#include "RedisTopologyFixture.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QTcpServer>
#include <QTest>

namespace querydeck::test {

namespace {

constexpr int kStartTimeoutMs = 15000;

bool portFree(int port)
{
    if (port <= 0 || port > 65535)
        return false;
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, quint16(port));
}

} // namespace

RedisTopologyFixture::RedisTopologyFixture() = default;

RedisTopologyFixture::~RedisTopologyFixture()
{
    stop();
}

quint16 RedisTopologyFixture::freePort(bool withBusPort)
{
    for (int attempt = 0; attempt < 200; ++attempt) {
        QTcpServer server;
        if (!server.listen(QHostAddress::LocalHost, 0))
            continue;
        const quint16 port = server.serverPort();
        if (!withBusPort || (port + 10000 <= 65535 && portFree(port + 10000)))
            return port;
    }
    return 0;
}

FailoverRequest RedisTopologyFixture::failoverRequest() const
{
    FailoverRequest r;
    r.mode = FailoverRequest::Mode::Sentinel;
    r.masterName = QLatin1String(kMasterName);
    for (const quint16 port : m_sentinelPorts)
        r.sentinels << RedisAddress{QStringLiteral("127.0.0.1"), port};
    r.timeoutMs = 60000;
    return r;
}

QString RedisTopologyFixture::address(quint16 port)
{
    return QStringLiteral("127.0.0.1:%1").arg(port);
}

QString RedisTopologyFixture::currentMaster(const QList<quint16>& ports)
{
    for (const quint16 port : ports) {
        if (cli(port, {QStringLiteral("ROLE")}).startsWith(QLatin1String("master")))
            return address(port);
    }
    return {};
}

QString RedisTopologyFixture::cli(quint16 port, const QStringList& args, QString* error)
{
    QProcess process;
    process.start(QStringLiteral("redis-cli"),
                  QStringList{QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                              QStringLiteral("-p"), QString::number(port)} +
                      args);
    const bool done = process.waitForFinished(5000);
    if (!done || process.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("redis-cli -p %1 %2: %3")
                         .arg(port)
                         .arg(args.join(QLatin1Char(' ')),
                              done ? QString::fromUtf8(process.readAllStandardError())
                                   : QStringLiteral("no answer in 5 s"));
        if (!done)
            process.kill();
        return {};
    }
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

QString RedisTopologyFixture::waitUntil(const std::function<bool()>& condition, int timeoutMs,
                                        const QString& what)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (condition())
            return {};
        QTest::qWait(100);
    }
    return condition() ? QString()
                       : QStringLiteral("%1: not reached in %2 ms").arg(what).arg(timeoutMs);
}

QString RedisTopologyFixture::launch(const QString& program, const QString& name, quint16 port,
                                     const QStringList& configLines)
{
    if (port == 0)
        return QStringLiteral("%1: no free loopback port").arg(name);
    if (!m_dir) {
        m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid())
            return QStringLiteral("cannot create a temporary directory");
    }
    const QString dir = m_dir->filePath(name);
    QDir().mkpath(dir);
    QFile conf(dir + QStringLiteral("/redis.conf"));
    if (!conf.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QStringLiteral("%1: cannot write %2").arg(name, conf.fileName());
    QStringList lines{QStringLiteral("port %1").arg(port), QStringLiteral("bind 127.0.0.1"),
                      QStringLiteral("dir %1").arg(dir), QStringLiteral("daemonize no"),
                      QStringLiteral("logfile %1/server.log").arg(dir)};
    lines += configLines;
    conf.write(lines.join(QLatin1Char('\n')).toUtf8() + '\n');
    conf.close();

    Server server;
    server.port = port;
    server.process = std::make_unique<QProcess>();
    server.process->setProcessChannelMode(QProcess::MergedChannels);
    server.process->start(program, {conf.fileName()});
    if (!server.process->waitForStarted(5000))
        return QStringLiteral("%1: cannot start %2: %3")
            .arg(name, program, server.process->errorString());
    QProcess* process = server.process.get();
    m_servers.push_back(std::move(server));
    const QString error = waitUntil(
        [port, process] {
            return process->state() == QProcess::Running &&
                   cli(port, {QStringLiteral("PING")}) == QLatin1String("PONG");
        },
        kStartTimeoutMs, QStringLiteral("%1 on port %2 answering PING").arg(name).arg(port));
    if (!error.isEmpty()) {
        QFile log(dir + QStringLiteral("/server.log"));
        log.open(QIODevice::ReadOnly);
        return error + QStringLiteral("; log: ") + QString::fromUtf8(log.readAll().right(600)) +
               QString::fromUtf8(process->readAll().right(300));
    }
    return {};
}

QString RedisTopologyFixture::startStandalone()
{
    m_masterPort = freePort();
    return launch(QStringLiteral("redis-server"), QStringLiteral("standalone"), m_masterPort,
                  {QStringLiteral("save \"\""), QStringLiteral("appendonly no")});
}

QString RedisTopologyFixture::startSentinelTopology(int replicas, int sentinels)
{
    m_masterPort = freePort();
    const QStringList data{QStringLiteral("save \"\""), QStringLiteral("appendonly no")};
    if (QString e =
            launch(QStringLiteral("redis-server"), QStringLiteral("master"), m_masterPort, data);
        !e.isEmpty())
        return e;
    for (int i = 0; i < replicas; ++i) {
        const quint16 port = freePort();
        m_replicaPorts << port;
        if (QString e = launch(
                QStringLiteral("redis-server"), QStringLiteral("replica%1").arg(i), port,
                data + QStringList{QStringLiteral("replicaof 127.0.0.1 %1").arg(m_masterPort)});
            !e.isEmpty())
            return e;
    }
    const quint16 master = m_masterPort;
    if (QString e = waitUntil(
            [master, replicas] {
                const QString info =
                    cli(master, {QStringLiteral("INFO"), QStringLiteral("replication")});
                return info.count(QStringLiteral("state=online")) == replicas;
            },
            kStartTimeoutMs, QStringLiteral("%1 replicas online").arg(replicas));
        !e.isEmpty())
        return e;
    for (int i = 0; i < sentinels; ++i) {
        const quint16 port = freePort();
        m_sentinelPorts << port;
        const QStringList conf{
            QStringLiteral("sentinel monitor %1 127.0.0.1 %2 2").arg(kMasterName).arg(master),
            QStringLiteral("sentinel down-after-milliseconds %1 %2")
                .arg(kMasterName)
                .arg(kDownAfterMs),
            QStringLiteral("sentinel failover-timeout %1 10000").arg(kMasterName),
            QStringLiteral("sentinel parallel-syncs %1 1").arg(kMasterName)};
        if (QString e = launch(QStringLiteral("redis-sentinel"),
                               QStringLiteral("sentinel%1").arg(i), port, conf);
            !e.isEmpty())
            return e;
    }
    // Sentinels find the replicas through the master's INFO and each other
    // through hello messages: wait for both before a test relies on them.
    for (const quint16 port : std::as_const(m_sentinelPorts)) {
        if (QString e = waitUntil(
                [port, replicas, sentinels] {
                    const QString master =
                        cli(port, {QStringLiteral("SENTINEL"), QStringLiteral("MASTER"),
                                   QLatin1String(kMasterName)});
                    const QStringList f = master.split(QLatin1Char('\n'));
                    const auto value = [&f](const char* key) {
                        const qsizetype i = f.indexOf(QLatin1String(key));
                        return i >= 0 && i + 1 < f.size() ? f.at(i + 1).toInt() : -1;
                    };
                    return value("num-slaves") == replicas &&
                           value("num-other-sentinels") == sentinels - 1;
                },
                30000,
                QStringLiteral("sentinel %1 knowing the replicas and the other sentinels")
                    .arg(port));
            !e.isEmpty())
            return e;
    }
    return {};
}

QString RedisTopologyFixture::startCluster()
{
    QStringList addresses;
    for (int i = 0; i < 6; ++i) {
        const quint16 port = freePort(true);
        m_clusterPorts << port;
        addresses << QStringLiteral("127.0.0.1:%1").arg(port);
        if (QString e =
                launch(QStringLiteral("redis-server"), QStringLiteral("node%1").arg(i), port,
                       {QStringLiteral("cluster-enabled yes"),
                        QStringLiteral("cluster-config-file nodes.conf"),
                        QStringLiteral("cluster-node-timeout 2000"), QStringLiteral("save \"\""),
                        QStringLiteral("appendonly no")});
            !e.isEmpty())
            return e;
    }
    QProcess create;
    create.setProcessChannelMode(QProcess::MergedChannels);
    create.start(QStringLiteral("redis-cli"),
                 QStringList{QStringLiteral("--cluster"), QStringLiteral("create")} + addresses +
                     QStringList{QStringLiteral("--cluster-replicas"), QStringLiteral("1"),
                                 QStringLiteral("--cluster-yes")});
    if (!create.waitForFinished(60000) || create.exitCode() != 0) {
        create.kill();
        return QStringLiteral("redis-cli --cluster create failed: %1")
            .arg(QString::fromUtf8(create.readAll().right(800)));
    }
    for (const quint16 port : std::as_const(m_clusterPorts)) {
        if (QString e = waitUntil(
                [port] {
                    // State ok, gossip has told this node which nodes are replicas,
                    // and a replica has finished its first sync.
                    const QString replication =
                        cli(port, {QStringLiteral("INFO"), QStringLiteral("replication")});
                    if (!replication.contains(QStringLiteral("role:master")) &&
                        !replication.contains(QStringLiteral("master_link_status:up")))
                        return false;
                    const QString nodes =
                        cli(port, {QStringLiteral("CLUSTER"), QStringLiteral("NODES")});
                    return cli(port, {QStringLiteral("CLUSTER"), QStringLiteral("INFO")})
                               .contains(QStringLiteral("cluster_state:ok")) &&
                           nodes.count(QStringLiteral(" slave ")) +
                                   nodes.count(QStringLiteral(",slave ")) ==
                               3;
                },
                30000, QStringLiteral("cluster node %1 in state ok, knowing 3 replicas").arg(port));
            !e.isEmpty())
            return e;
    }
    return {};
}

bool RedisTopologyFixture::kill(quint16 port)
{
    for (Server& server : m_servers) {
        if (server.port == port && server.process->state() != QProcess::NotRunning) {
            server.process->kill();
            return server.process->waitForFinished(5000);
        }
    }
    return false;
}

void RedisTopologyFixture::stop()
{
    // Sentinels first, so that they do not start a failover while the data servers go.
    for (auto it = m_servers.rbegin(); it != m_servers.rend(); ++it) {
        if (it->process->state() != QProcess::NotRunning) {
            it->process->kill();
            it->process->waitForFinished(5000);
        }
    }
    m_servers.clear();
    m_replicaPorts.clear();
    m_sentinelPorts.clear();
    m_clusterPorts.clear();
    m_masterPort = 0;
}

} // namespace querydeck::test
