#include "RedisTestServer.h"

#include "ServeProcess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QStandardPaths>
#include <QThread>
#include <csignal>

namespace querydeck::test {

RedisTestServer::RedisTestServer(Kind kind)
    : m_kind(kind)
{
}

RedisTestServer::~RedisTestServer()
{
    kill();
}

RedisEndpoint RedisTestServer::endpoint(int db) const
{
    RedisEndpoint e;
    e.address.host = QStringLiteral("127.0.0.1");
    e.address.port = m_port;
    e.address.db = db;
    e.password = m_password;
    e.connectTimeoutMs = 1000;
    e.commandTimeoutMs = 5000;
    e.selectDb = m_kind == Kind::Server;
    return e;
}

QString RedisTestServer::url(int db) const
{
    return QStringLiteral("redis://127.0.0.1:%1/%2").arg(m_port).arg(db);
}

RedisReply RedisTestServer::command(const RedisConnection::Args& args) const
{
    QString error;
    auto connection = RedisConnection::connect(endpoint(), &error);
    if (!connection)
        return RedisReply::failed(error.toUtf8());
    return connection->command(args);
}

QString RedisTestServer::log() const
{
    QFile file(m_dir.filePath(QStringLiteral("server.log")));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll().right(4000))
                                          : QString();
}

QString RedisTestServer::start(const QStringList& configLines, int timeoutMs)
{
    if (!m_dir.isValid())
        return QStringLiteral("cannot create a temporary folder");
    if (m_port == 0)
        m_port = ServeProcess::freePort();
    QStringList lines{
        QStringLiteral("port %1").arg(m_port), QStringLiteral("bind 127.0.0.1"),
        QStringLiteral("daemonize no"), QStringLiteral("dir %1").arg(m_dir.path()),
        QStringLiteral("logfile %1").arg(m_dir.filePath(QStringLiteral("server.log")))};
    if (m_kind == Kind::Server)
        lines << QStringLiteral("save \"\"") << QStringLiteral("appendfilename appendonly.aof");
    lines += configLines;
    for (const QString& line : configLines)
        if (line.startsWith(QLatin1String("requirepass ")))
            m_password = line.mid(12).toUtf8(); // so PING and command() can AUTH
    m_configPath = m_dir.filePath(QStringLiteral("redis.conf"));
    QFile file(m_configPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QStringLiteral("cannot write %1").arg(m_configPath);
    file.write(lines.join(QLatin1Char('\n')).toUtf8() + '\n');
    file.close();
    return launch(timeoutMs);
}

QString RedisTestServer::restart(int timeoutMs)
{
    stop();
    return launch(timeoutMs);
}

QString RedisTestServer::launch(int timeoutMs)
{
    const QString program =
        m_kind == Kind::Server ? QStringLiteral("redis-server") : QStringLiteral("redis-sentinel");
    const QString path = QStandardPaths::findExecutable(program);
    if (path.isEmpty())
        return QStringLiteral("%1 is not installed (apt-get install redis-server redis-sentinel)")
            .arg(program);
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(path, {m_configPath});
    if (!m_process->waitForStarted(5000))
        return QStringLiteral("cannot start %1: %2").arg(program, m_process->errorString());
    QDeadlineTimer deadline(timeoutMs);
    QString error;
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running)
            return QStringLiteral("%1 exited: %2 %3")
                .arg(program, QString::fromUtf8(m_process->readAll()), log());
        RedisEndpoint e = endpoint();
        e.selectDb = false;
        e.commandTimeoutMs = 1000;
        if (auto connection = RedisConnection::connect(e, &error)) {
            // A server still loading its AOF answers PING with LOADING.
            if (m_kind == Kind::Sentinel || connection->command({"GET", "x"}).ok())
                return {};
        }
        QThread::msleep(20);
    }
    return QStringLiteral("%1 on port %2 did not answer within %3 ms: %4 %5")
        .arg(program)
        .arg(m_port)
        .arg(timeoutMs)
        .arg(error, log());
}

void RedisTestServer::stop()
{
    if (!running())
        return;
    ::kill(pid_t(m_process->processId()), SIGTERM);
    if (!m_process->waitForFinished(10000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

void RedisTestServer::kill()
{
    if (!running())
        return;
    m_process->kill();
    m_process->waitForFinished(5000);
}

} // namespace querydeck::test
