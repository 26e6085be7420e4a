#include "backend/fleet/LocalReplica.h"

#include "backend/common/Backoff.h"
#include "backend/fleet/ChildProcess.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcessEnvironment>
#include <QTimer>
#include <algorithm>
#include <csignal>

namespace querydeck {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// querydeck_http_in_flight_requests counts the scrape that reads it.
// Our own child's /metrics is ~100 KiB; the gauge we want is near the top.
constexpr qint64 kMaxMetricsBytes = 8 * 1024 * 1024;

int parseInFlight(const QByteArray& exposition)
{
    static const QByteArray name = "querydeck_http_in_flight_requests";
    for (const QByteArray& line : exposition.split('\n')) {
        if (!line.startsWith(name) || line.size() <= name.size())
            continue;
        const char next = line.at(name.size());
        if (next != ' ' && next != '{')
            continue;
        bool ok = false;
        const double value = line.mid(line.lastIndexOf(' ') + 1).toDouble(&ok);
        if (ok)
            return std::max(0, int(value) - 1);
    }
    return -1;
}

} // namespace

LocalReplica::LocalReplica(int id, int port, const LocalFleetOptions& options,
                           const QByteArray& adminToken, QNetworkAccessManager* network,
                           QObject* parent)
    : QObject(parent)
    , m_id(id)
    , m_port(port)
    , m_options(options)
    , m_adminToken(adminToken)
    , m_network(network)
    , m_readyTimer(new QTimer(this))
    , m_drainTimer(new QTimer(this))
    , m_killTimer(new QTimer(this))
    , m_restartTimer(new QTimer(this))
{
    m_readyTimer->setInterval(100);
    connect(m_readyTimer, &QTimer::timeout, this, &LocalReplica::pollReady);
    m_drainTimer->setInterval(100);
    connect(m_drainTimer, &QTimer::timeout, this, [this] {
        if ((m_inFlight == 0 && !m_metricsPollInFlight) || nowMs() > m_drainDeadlineMs) {
            if (m_inFlight != 0)
                emit event(QStringLiteral("replica %1: drain timeout (%2 ms) with %3 request(s) "
                                          "in flight; stopping it anyway")
                               .arg(m_id)
                               .arg(m_options.drainTimeoutMs)
                               .arg(m_inFlight));
            m_drainTimer->stop();
            terminate();
            return;
        }
        pollMetrics();
    });
    m_killTimer->setSingleShot(true);
    connect(m_killTimer, &QTimer::timeout, this, [this] {
        emit event(QStringLiteral("replica %1 did not exit %2 ms after SIGTERM; SIGKILL")
                       .arg(m_id)
                       .arg(m_options.stopTimeoutMs));
        if (m_process)
            m_process->kill();
    });
    m_restartTimer->setSingleShot(true);
    connect(m_restartTimer, &QTimer::timeout, this, [this] {
        ++m_restarts;
        start();
    });
}

LocalReplica::~LocalReplica()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(3000);
    }
}

QString LocalReplica::address() const
{
    return QStringLiteral("%1:%2").arg(m_options.host).arg(m_port);
}

QString LocalReplica::logPath() const
{
    return logPathIn(m_options.runtimeDir, m_id);
}

QString LocalReplica::logPathIn(const QString& runtimeDir, int id)
{
    return QDir(runtimeDir).filePath(QStringLiteral("replica-%1.log").arg(id));
}

bool LocalReplica::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

ReplicaInfo LocalReplica::info() const
{
    ReplicaInfo info;
    info.id = QString::number(m_id);
    info.address = address();
    info.state = m_state;
    info.inFlight = m_state == ReplicaState::Stopped ? -1 : m_inFlight;
    info.restarts = m_restarts;
    info.startedAt = isRunning() ? m_startedAt : QDateTime();
    info.pid = isRunning() ? m_process->processId() : 0;
    return info;
}

void LocalReplica::setState(ReplicaState state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged();
}

void LocalReplica::start()
{
    m_stopping = false;
    m_restartAfterStop = false;
    m_inFlight = -1;
    if (!m_log.isOpen()) {
        m_log.setFileName(logPath());
        if (!m_log.open(QIODevice::WriteOnly | QIODevice::Append))
            emit event(QStringLiteral("replica %1: cannot open its log %2: %3")
                           .arg(m_id)
                           .arg(logPath(), m_log.errorString()));
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(kAdminTokenVariable), QString::fromLatin1(m_adminToken));
    m_process->setProcessEnvironment(env);
    ChildProcess::dieWithParent(*m_process, SIGTERM);
    connect(m_process.get(), &QProcess::readyRead, this,
            [this] { appendLog(m_process->readAll()); });
    connect(m_process.get(), &QProcess::finished, this, &LocalReplica::onFinished);
    connect(m_process.get(), &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            emit event(QStringLiteral("replica %1: cannot run %2: %3")
                           .arg(m_id)
                           .arg(m_options.querydeckBinary, m_process->errorString()));
            onFinished(-1, QProcess::CrashExit);
        }
    });
    QStringList arguments{QStringLiteral("serve"),
                          QStringLiteral("--host"),
                          m_options.host,
                          QStringLiteral("--port"),
                          QString::number(m_port),
                          QStringLiteral("--replica-id"),
                          QString::number(m_id),
                          QStringLiteral("--admin-token-env"),
                          QString::fromLatin1(kAdminTokenVariable)};
    if (!m_options.configFile.isEmpty())
        arguments << QStringLiteral("--config") << m_options.configFile;
    arguments += m_options.extraArguments;
    appendLog(QStringLiteral("--- starting: querydeck %1\n")
                  .arg(arguments.join(QLatin1Char(' ')))
                  .toUtf8());
    m_startedAt = QDateTime::currentDateTimeUtc();
    m_readyDeadlineMs = nowMs() + m_options.readyTimeoutMs;
    setState(ReplicaState::Starting);
    emit event(QStringLiteral("replica %1 starting on %2").arg(m_id).arg(address()));
    m_process->start(m_options.querydeckBinary, arguments);
    m_readyTimer->start();
}

void LocalReplica::appendLog(const QByteArray& text)
{
    if (m_log.isOpen()) {
        m_log.write(text);
        m_log.flush();
    }
    m_partialLine += text;
    qsizetype newline;
    while ((newline = m_partialLine.indexOf('\n')) >= 0) {
        const QByteArray line = m_partialLine.left(newline).trimmed();
        m_partialLine.remove(0, newline + 1);
        if (!line.isEmpty())
            emit output(QString::fromUtf8(line));
    }
    if (m_partialLine.size() > 64 * 1024) // a line without end: do not grow without bound
        m_partialLine.clear();
}

void LocalReplica::pollReady()
{
    if (m_state != ReplicaState::Starting || !isRunning()) {
        m_readyTimer->stop();
        return;
    }
    if (nowMs() > m_readyDeadlineMs) {
        m_readyTimer->stop();
        emit event(QStringLiteral("replica %1 not ready within %2 ms; stopping it")
                       .arg(m_id)
                       .arg(m_options.readyTimeoutMs));
        m_process->kill(); // counted as a crash: restarted within the budget
        return;
    }
    if (m_readyPollInFlight)
        return;
    m_readyPollInFlight = true;
    QNetworkRequest request(QUrl(QStringLiteral("http://%1/ready").arg(address())));
    request.setTransferTimeout(1000);
    QNetworkReply* reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_readyPollInFlight = false;
        if (m_state != ReplicaState::Starting || !isRunning())
            return;
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200) {
            m_readyTimer->stop();
            m_inFlight = 0;
            emit event(QStringLiteral("replica %1 ready on %2").arg(m_id).arg(address()));
            setState(ReplicaState::Ready);
        }
    });
}

void LocalReplica::pollMetrics()
{
    if (m_metricsPollInFlight || !isRunning() || m_state == ReplicaState::Starting)
        return;
    m_metricsPollInFlight = true;
    QNetworkRequest request(QUrl(QStringLiteral("http://%1/metrics").arg(address())));
    request.setTransferTimeout(1000);
    QNetworkReply* reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_metricsPollInFlight = false;
        const int inFlight = reply->error() == QNetworkReply::NoError
                                 ? parseInFlight(reply->read(kMaxMetricsBytes))
                                 : -1;
        if (inFlight != m_inFlight) {
            m_inFlight = inFlight;
            emit stateChanged();
        }
    });
}

void LocalReplica::beginDrain()
{
    m_restartTimer->stop();
    const bool wasReady = m_state == ReplicaState::Ready && isRunning();
    setState(ReplicaState::Draining);
    if (!wasReady)
        return;
    emit event(QStringLiteral("replica %1 draining").arg(m_id));
    QNetworkRequest request(QUrl(QStringLiteral("http://%1/admin/drain").arg(address())));
    request.setRawHeader("Authorization", "Bearer " + m_adminToken);
    request.setTransferTimeout(2000);
    QNetworkReply* reply = m_network->post(request, QByteArray());
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 202)
            emit event(QStringLiteral("replica %1: /admin/drain answered %2 (%3); it will drain "
                                      "on SIGTERM instead")
                           .arg(m_id)
                           .arg(status)
                           .arg(reply->errorString()));
    });
}

void LocalReplica::stopWhenIdle()
{
    if (m_stopping || m_drainTimer->isActive())
        return; // already on its way out
    if (!isRunning()) {
        m_restartTimer->stop();
        setState(ReplicaState::Stopped);
        QTimer::singleShot(0, this, &LocalReplica::stopped);
        return;
    }
    m_readyTimer->stop();
    if (m_state == ReplicaState::Starting) { // never in rotation: nothing to wait for
        terminate();
        return;
    }
    m_drainDeadlineMs = nowMs() + m_options.drainTimeoutMs;
    m_inFlight = -1; // a fresh reading, not the last one from before the drain
    pollMetrics();
    m_drainTimer->start();
}

void LocalReplica::terminate()
{
    m_stopping = true;
    if (!isRunning())
        return;
    emit event(QStringLiteral("replica %1: SIGTERM").arg(m_id));
    ChildProcess::sendSignal(*m_process, SIGTERM);
    m_killTimer->start(m_options.stopTimeoutMs);
}

void LocalReplica::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_readyTimer->stop();
    m_drainTimer->stop();
    m_killTimer->stop();
    if (m_process)
        appendLog(m_process->readAll() + '\n');
    m_inFlight = -1;
    const QString how = status == QProcess::NormalExit
                            ? QStringLiteral("exit code %1").arg(exitCode)
                            : QStringLiteral("killed by a signal");
    if (m_stopping || m_state == ReplicaState::Draining) {
        emit event(QStringLiteral("replica %1 stopped (%2)").arg(m_id).arg(how));
        setState(ReplicaState::Stopped);
        emit stopped();
        return;
    }
    const qint64 now = nowMs();
    m_crashTimes.erase(
        std::remove_if(m_crashTimes.begin(), m_crashTimes.end(),
                       [&](qint64 t) { return now - t > m_options.restartWindowMs; }),
        m_crashTimes.end());
    m_crashTimes.append(now);
    const int crashes = int(m_crashTimes.size());
    setState(ReplicaState::Failed);
    if (crashes > m_options.restartBudget) {
        const QString reason =
            QStringLiteral("replica %1 exited (%2) %3 times within %4 s; restart budget (%5) "
                           "spent, not restarting it; see %6")
                .arg(m_id)
                .arg(how)
                .arg(crashes)
                .arg(m_options.restartWindowMs / 1000)
                .arg(m_options.restartBudget)
                .arg(logPath());
        emit event(reason);
        emit gaveUp(reason);
        return;
    }
    // No jitter: one supervisor restarts its own replicas; the event text
    // states the exact wait.
    const Backoff backoff(
        {m_options.backoffInitialMs, m_options.backoffMaxMs, 2.0, Backoff::Jitter::None});
    const qint64 delay = backoff.delayMs(crashes);
    emit event(QStringLiteral("replica %1 exited (%2); restarting in %3 ms (crash %4 of %5 "
                              "allowed within %6 s)")
                   .arg(m_id)
                   .arg(how)
                   .arg(delay)
                   .arg(crashes)
                   .arg(m_options.restartBudget)
                   .arg(m_options.restartWindowMs / 1000));
    m_restartTimer->start(int(delay));
}

} // namespace querydeck
