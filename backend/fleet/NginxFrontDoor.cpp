#include "backend/fleet/NginxFrontDoor.h"

#include "backend/fleet/ChildProcess.h"
#include "backend/fleet/NginxTemplate.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTimer>
#include <csignal>

namespace querydeck {

namespace {

QString loopbackFor(const QString& host)
{
    if (host == QLatin1String("0.0.0.0"))
        return QStringLiteral("127.0.0.1");
    if (host == QLatin1String("::"))
        return QStringLiteral("[::1]");
    return host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(host) : host;
}

QString tail(const QByteArray& text, int lines)
{
    QStringList all = QString::fromUtf8(text).trimmed().split(QLatin1Char('\n'));
    if (all.size() > lines)
        all = all.mid(all.size() - lines);
    return all.join(QStringLiteral(" | "));
}

} // namespace

NginxFrontDoor::NginxFrontDoor(const LocalFleetOptions& options, QNetworkAccessManager* network,
                               QObject* parent)
    : QObject(parent)
    , m_options(options)
    , m_network(network)
    , m_binary(findBinary(options.nginxBinary))
    , m_pollTimer(new QTimer(this))
    , m_stopTimer(new QTimer(this))
{
    m_pollTimer->setInterval(50);
    connect(m_pollTimer, &QTimer::timeout, this, &NginxFrontDoor::pollGeneration);
    m_stopTimer->setSingleShot(true);
    connect(m_stopTimer, &QTimer::timeout, this, [this] {
        if (m_nginx && m_nginx->state() != QProcess::NotRunning) {
            emit event(QStringLiteral("nginx did not stop within %1 ms; killing it")
                           .arg(m_options.stopTimeoutMs));
            m_nginx->kill();
        }
    });
}

NginxFrontDoor::~NginxFrontDoor()
{
    if (m_check && m_check->state() != QProcess::NotRunning) {
        m_check->kill();
        m_check->waitForFinished(2000);
    }
    if (m_nginx && m_nginx->state() != QProcess::NotRunning) {
        m_nginx->disconnect(this);
        ChildProcess::sendSignal(*m_nginx, SIGTERM); // fast shutdown: workers go too
        if (!m_nginx->waitForFinished(3000)) {
            m_nginx->kill();
            m_nginx->waitForFinished(2000);
        }
    }
}

QString NginxFrontDoor::findBinary(const QString& nameOrPath)
{
    if (nameOrPath.contains(QLatin1Char('/'))) {
        const QFileInfo info(nameOrPath);
        return info.isFile() && info.isExecutable() ? info.absoluteFilePath() : QString();
    }
    QString found = QStandardPaths::findExecutable(nameOrPath);
    if (found.isEmpty()) // Debian installs nginx in /usr/sbin, often not on a user's PATH
        found = QStandardPaths::findExecutable(
            nameOrPath, {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
    return found;
}

bool NginxFrontDoor::isRunning() const
{
    // Starting counts: the process exists and stop() must reach it.
    return m_nginx && m_nginx->state() != QProcess::NotRunning;
}

QString NginxFrontDoor::configPath() const
{
    return QDir(m_options.runtimeDir).filePath(QStringLiteral("nginx.conf"));
}

QString NginxFrontDoor::errorLogPath() const
{
    return QDir(m_options.runtimeDir).filePath(QStringLiteral("error.log"));
}

QStringList NginxFrontDoor::baseArguments(const QString& config) const
{
    // -e: nginx opens its error log before reading the config; never the system one.
    return {QStringLiteral("-p"), m_options.runtimeDir + QLatin1Char('/'),
            QStringLiteral("-e"), errorLogPath(),
            QStringLiteral("-c"), config};
}

void NginxFrontDoor::apply(const QStringList& servers)
{
    if (m_stopRequested)
        return;
    m_queued = servers;
    scheduleNext();
}

void NginxFrontDoor::scheduleNext()
{
    // Never from inside a handler of the previous step: run from the event loop.
    if (m_busy || m_scheduled || !m_queued)
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_scheduled = false;
            if (!m_busy && !m_stopping)
                runNext();
        },
        Qt::QueuedConnection);
}

void NginxFrontDoor::runNext()
{
    if (!m_queued)
        return;
    m_applying = *m_queued;
    m_queued.reset();
    m_busy = true;

    if (m_binary.isEmpty()) {
        finish(QStringLiteral("nginx not found (\"%1\"): install the nginx package, or set the "
                              "nginx binary")
                   .arg(m_options.nginxBinary));
        return;
    }
    QString error;
    const QString templateText = NginxTemplate::readFile(m_options.templatePath, &error);
    NginxTemplateValues values =
        NginxTemplateValues::fromOptions(m_options, QDir(m_options.runtimeDir).absolutePath());
    values.servers = m_applying;
    values.generation = m_generation + 1;
    const QString text =
        error.isEmpty() ? NginxTemplate::render(templateText, values, &error) : QString();
    if (!error.isEmpty()) {
        finish(error);
        return;
    }
    for (const char* dir : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
        QDir(m_options.runtimeDir).mkpath(QString::fromLatin1(dir));
    const QString candidate = configPath() + QStringLiteral(".candidate");
    QFile file(candidate);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text.toUtf8()) < 0 ||
        !file.flush()) {
        finish(QStringLiteral("cannot write %1: %2").arg(candidate, file.errorString()));
        return;
    }
    file.close();
    m_pendingGeneration = values.generation;

    if (m_check)
        m_check.release()->deleteLater(); // it may be the sender of the current signal
    m_check = std::make_unique<QProcess>();
    m_check->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_check.get(), &QProcess::finished, this,
            [this](int exitCode, QProcess::ExitStatus status) {
                onCheckFinished(status == QProcess::NormalExit ? exitCode : -1);
            });
    connect(m_check.get(), &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            finish(QStringLiteral("cannot run %1 -t: %2").arg(m_binary, m_check->errorString()));
    });
    m_check->start(m_binary, QStringList{QStringLiteral("-t"), QStringLiteral("-q")} +
                                 baseArguments(candidate));
}

void NginxFrontDoor::onCheckFinished(int exitCode)
{
    if (m_stopRequested) { // stop() came while nginx -t ran: never start nginx again
        m_busy = false;
        return;
    }
    const QString candidate = configPath() + QStringLiteral(".candidate");
    if (exitCode != 0) {
        const QString output = tail(m_check->readAll(), 4);
        QFile::remove(candidate);
        finish(QStringLiteral("nginx -t rejected the new config, the running one is kept: %1")
                   .arg(output.isEmpty() ? QStringLiteral("exit code %1").arg(exitCode) : output));
        return;
    }
    QFile::remove(configPath());
    if (!QFile::rename(candidate, configPath())) {
        finish(QStringLiteral("cannot move the checked config to %1").arg(configPath()));
        return;
    }
    makeLive();
}

void NginxFrontDoor::makeLive()
{
    m_deadlineMs = QDateTime::currentMSecsSinceEpoch() + m_options.reloadTimeoutMs;
    if (isRunning()) {
        ChildProcess::sendSignal(*m_nginx, SIGHUP);
    } else {
        m_nginx = std::make_unique<QProcess>();
        m_nginx->setProcessChannelMode(QProcess::MergedChannels);
        ChildProcess::dieWithParent(*m_nginx, SIGTERM);
        connect(m_nginx.get(), &QProcess::finished, this, [this](int code) {
            m_pollTimer->stop();
            m_stopTimer->stop();
            const QString output = processOutputTail();
            if (m_stopping) {
                emit event(QStringLiteral("nginx stopped"));
                m_stopping = false;
                emit stopped();
                return;
            }
            if (m_busy) {
                finish(QStringLiteral("nginx exited with code %1 while starting: %2")
                           .arg(code)
                           .arg(output));
            } else {
                m_servers.clear();
                emit event(QStringLiteral("nginx exited unexpectedly (code %1): %2")
                               .arg(code)
                               .arg(output));
                emit failed(QStringLiteral("nginx exited unexpectedly: %1").arg(output));
            }
        });
        // No waitForStarted(): the owner's thread never blocks. Polling for the
        // generation begins once the process runs; a failed start ends the apply.
        connect(m_nginx.get(), &QProcess::started, this, [this] {
            if (m_busy && !m_stopping)
                m_pollTimer->start();
        });
        connect(m_nginx.get(), &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart && m_busy)
                finish(QStringLiteral("cannot start %1: %2").arg(m_binary, m_nginx->errorString()));
        });
        m_nginx->start(m_binary,
                       baseArguments(configPath()) +
                           QStringList{QStringLiteral("-g"), QStringLiteral("daemon off;")});
        return;
    }
    m_pollTimer->start();
}

void NginxFrontDoor::pollGeneration()
{
    if (QDateTime::currentMSecsSinceEpoch() > m_deadlineMs) {
        m_pollTimer->stop();
        finish(QStringLiteral("nginx did not serve config generation %1 within %2 ms: %3")
                   .arg(m_pendingGeneration)
                   .arg(m_options.reloadTimeoutMs)
                   .arg(processOutputTail()));
        return;
    }
    if (m_pollInFlight)
        return;
    m_pollInFlight = true;
    QNetworkRequest request(QUrl(QStringLiteral("http://%1:%2/__querydeck/generation")
                                     .arg(loopbackFor(m_options.host))
                                     .arg(m_options.frontPort)));
    request.setTransferTimeout(1000);
    QNetworkReply* reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_pollInFlight = false;
        if (!m_busy || !m_pollTimer->isActive())
            return;
        if (reply->error() == QNetworkReply::NoError &&
            reply->read(64).trimmed().toInt() == m_pendingGeneration) { // a number
            m_pollTimer->stop();
            m_generation = m_pendingGeneration;
            m_servers = m_applying;
            finish({});
        }
    });
}

QString NginxFrontDoor::processOutputTail()
{
    QByteArray text = m_nginx ? m_nginx->readAll() : QByteArray();
    QFile log(errorLogPath());
    if (text.trimmed().isEmpty() && log.open(QIODevice::ReadOnly)) {
        if (log.size() > 4096)
            log.seek(log.size() - 4096);
        text = log.readAll();
    }
    return tail(text, 3);
}

void NginxFrontDoor::finish(const QString& error)
{
    m_busy = false;
    if (error.isEmpty()) {
        emit event(QStringLiteral("nginx config generation %1 live: %2 replica(s) in rotation")
                       .arg(m_generation)
                       .arg(m_servers.size()));
        emit applied(m_servers);
    } else {
        emit event(error);
        emit failed(error);
    }
    scheduleNext();
}

void NginxFrontDoor::stop()
{
    m_stopRequested = true;
    m_queued.reset();
    if (!isRunning()) {
        emit stopped();
        return;
    }
    m_stopping = true;
    m_pollTimer->stop();
    ChildProcess::sendSignal(*m_nginx, SIGQUIT); // graceful: finish open requests
    m_stopTimer->start(m_options.stopTimeoutMs);
}

} // namespace querydeck
