#pragma once

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>

namespace querydeck::test {

// A `querydeck serve` child process on a free loopback port, for tests that
// drive the real binary over HTTP. The destructor kills it if still running.
// `program` is the querydeck to run: the one just built, unless a test runs
// another copy (e.g. one unpacked from the Debian package).
class ServeProcess
{
public:
    explicit ServeProcess(const QString& program = QStringLiteral(QUERYDECK_BIN));
    ~ServeProcess();

    // Returns an error text; empty once /ready answered 200 (or /health, when
    // `waitReady` is false) within the timeout.
    QString start(const QStringList& extraArguments = {}, const QStringList& environment = {},
                  bool waitReady = true, int timeoutMs = 30000);
    // SIGTERM and wait; returns the exit code, or -1 when it did not exit in time.
    int terminate(int timeoutMs = 30000);

    quint16 port() const { return m_port; }
    QProcess& process() { return *m_process; }
    QByteArray output(); // everything written to stdout/stderr so far

    static quint16 freePort();
    // The first of `count` free loopback ports in a row, below the ephemeral
    // range (32768+), so client sockets of a load test cannot take one of
    // them between the check and a (re)start; 0 when none is found.
    static quint16 freePortRun(int count);

    // {"query": text}, the body of a POST /v1/query.
    static QByteArray queryBody(const QString& text);
    // Writes to `path` a service config for replicas on Redis under test:
    // no rate limit (load would trip it), the index in `indexDir`, and Redis
    // timeouts short enough that a dead server is noticed within about a
    // second. False when the file cannot be written.
    static bool writeRedisConfig(const QString& path, const QString& indexDir);

private:
    QString m_program;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QByteArray m_output;
};

} // namespace querydeck::test
