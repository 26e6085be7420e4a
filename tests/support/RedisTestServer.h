#pragma once

#include "backend/redis/RedisConnection.h"

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>

namespace querydeck::test {

// A real redis-server or redis-sentinel child process on a free loopback
// port, with its config, data and log in a temporary folder, for tests that
// need Redis. start() fails (returns the reason) when the binary is missing
// or the server does not answer PING in time; tests must then QFAIL, never
// skip. The destructor kills the process; restart() keeps port and folder,
// so AOF data survives it.
class RedisTestServer
{
public:
    enum class Kind
    {
        Server,
        Sentinel
    };

    explicit RedisTestServer(Kind kind = Kind::Server);
    ~RedisTestServer();
    RedisTestServer(const RedisTestServer&) = delete;
    RedisTestServer& operator=(const RedisTestServer&) = delete;

    // `configLines` are appended to the generated config (e.g. "appendonly
    // yes", "requirepass x", "replicaof 127.0.0.1 1234", "sentinel monitor
    // ..."). Returns an error text, empty once PING answered.
    QString start(const QStringList& configLines = {}, int timeoutMs = 10000);
    QString restart(int timeoutMs = 10000);
    // SHUTDOWN-free: SIGTERM (a clean stop, AOF flushed) and wait.
    void stop();
    // SIGKILL, as in a crash.
    void kill();

    quint16 port() const { return m_port; }
    QString dir() const { return m_dir.path(); }
    QString log() const;
    bool running() const { return m_process && m_process->state() == QProcess::Running; }
    void setPassword(const QByteArray& password) { m_password = password; }

    RedisEndpoint endpoint(int db = 0) const;
    // One command on a fresh connection; Failed with the reason when none.
    RedisReply command(const RedisConnection::Args& args) const;
    QString url(int db = 0) const;

private:
    QString launch(int timeoutMs);

    Kind m_kind;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QByteArray m_password;
    QString m_configPath;
};

} // namespace querydeck::test
