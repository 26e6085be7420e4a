#include "ServeProcess.h"

#include "RawHttp.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTcpServer>
#include <QThread>
#include <csignal>

namespace querydeck::test {

ServeProcess::ServeProcess(const QString& program)
    : m_program(program)
    , m_process(std::make_unique<QProcess>())
{
    m_process->setProcessChannelMode(QProcess::MergedChannels);
}

ServeProcess::~ServeProcess()
{
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

quint16 ServeProcess::freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

quint16 ServeProcess::freePortRun(int count)
{
    // Start somewhere different per process so parallel tests rarely collide.
    const int start = 20000 + int(QCoreApplication::applicationPid() % 1000) * 10;
    for (int base = start; base + count < 32000; base += count + 1) {
        bool free = true;
        for (int i = 0; free && i < count; ++i) {
            QTcpServer probe;
            free = probe.listen(QHostAddress::LocalHost, quint16(base + i));
        }
        if (free)
            return quint16(base);
    }
    return 0;
}

QByteArray ServeProcess::queryBody(const QString& text)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("query"), text}})
        .toJson(QJsonDocument::Compact);
}

bool ServeProcess::writeRedisConfig(const QString& path, const QString& indexDir)
{
    const QJsonObject redis{{QStringLiteral("rebuild_timeout_ms"), 5000},
                            {QStringLiteral("connect_timeout_ms"), 300},
                            {QStringLiteral("command_timeout_ms"), 1000}};
    const QJsonObject config{
        {QStringLiteral("rate_limit"), QJsonObject{{QStringLiteral("enabled"), false}}},
        {QStringLiteral("corpus"), QJsonObject{{QStringLiteral("index_dir"), indexDir}}},
        {QStringLiteral("cache"), QJsonObject{{QStringLiteral("redis"), redis}}}};
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(config).toJson()) >= 0;
}

QByteArray ServeProcess::output()
{
    m_output += m_process->readAll();
    return m_output;
}

QString ServeProcess::start(const QStringList& extraArguments, const QStringList& environment,
                            bool waitReady, int timeoutMs)
{
    m_port = freePort();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Never read the developer's own config or cache.
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), QStringLiteral("/nonexistent-querydeck-test"));
    for (const QString& entry : environment) {
        const qsizetype eq = entry.indexOf(QLatin1Char('='));
        env.insert(entry.left(eq), entry.mid(eq + 1));
    }
    m_process->setProcessEnvironment(env);
    QStringList args{QStringLiteral("serve"), QStringLiteral("--port"), QString::number(m_port)};
    args += extraArguments;
    m_process->start(m_program, args);
    if (!m_process->waitForStarted(5000))
        return QStringLiteral("could not start %1: %2").arg(m_program, m_process->errorString());

    const QByteArray path = waitReady ? "/ready" : "/health";
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->state() == QProcess::NotRunning)
            return QStringLiteral("querydeck serve exited with %1: %2")
                .arg(m_process->exitCode())
                .arg(QString::fromUtf8(output()));
        if (RawHttp::get(m_port, path).status == 200)
            return {};
        m_process->waitForReadyRead(50);
        output();
    }
    return QStringLiteral("querydeck serve not ready after %1 ms: %2")
        .arg(timeoutMs)
        .arg(QString::fromUtf8(output()));
}

int ServeProcess::terminate(int timeoutMs)
{
    if (m_process->state() == QProcess::NotRunning)
        return m_process->exitCode();
    ::kill(pid_t(m_process->processId()), SIGTERM);
    if (!m_process->waitForFinished(timeoutMs))
        return -1;
    output();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

} // namespace querydeck::test
