#include "backend/scaling/NginxConfigCheck.h"

#include "backend/fleet/NginxFrontDoor.h"
#include "backend/fleet/NginxTemplate.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <memory>

namespace querydeck {

NginxConfigCheck::NginxConfigCheck(LocalFleetOptions options)
    : m_options(std::move(options))
{
}

void NginxConfigCheck::run(const ScaleRequest& request, QObject* context, Done done)
{
    const QString binary = NginxFrontDoor::findBinary(m_options.nginxBinary);
    if (binary.isEmpty())
        return done({CheckResult::Level::Fail,
                     QStringLiteral("nginx \"%1\" not found (install nginx or set its path)")
                         .arg(m_options.nginxBinary)});
    QString error;
    const QString templateText = NginxTemplate::readFile(m_options.templatePath, &error);
    auto scratch = std::make_shared<QTemporaryDir>();
    if (!scratch->isValid())
        return done(
            {CheckResult::Level::Fail,
             QStringLiteral("no scratch folder for nginx -t: %1").arg(scratch->errorString())});
    NginxTemplateValues values = NginxTemplateValues::fromOptions(m_options, scratch->path());
    for (int id = 1; id <= qMax(1, request.targetReplicas); ++id)
        values.servers
            << QStringLiteral("%1:%2").arg(m_options.host).arg(m_options.replicaPort(id));
    const QString text =
        error.isEmpty() ? NginxTemplate::render(templateText, values, &error) : QString();
    if (!error.isEmpty())
        return done({CheckResult::Level::Fail, error});
    for (const char* dir : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
        QDir(scratch->path()).mkpath(QString::fromLatin1(dir));
    const QString config = scratch->filePath(QStringLiteral("nginx.conf"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.flush())
        return done({CheckResult::Level::Fail,
                     QStringLiteral("cannot write %1: %2").arg(config, file.errorString())});
    file.close();

    auto* process = new QProcess(context);
    process->setProcessChannelMode(QProcess::MergedChannels);
    const int count = values.servers.size();
    auto finish = [process, scratch, done](const CheckResult& result) {
        process->disconnect();
        process->deleteLater();
        done(result);
    };
    QObject::connect(
        process, &QProcess::finished, process,
        [process, finish, count](int exitCode, QProcess::ExitStatus status) {
            const QString output = QString::fromLocal8Bit(process->readAll()).trimmed().right(600);
            if (status == QProcess::NormalExit && exitCode == 0)
                finish({CheckResult::Level::Pass,
                        QStringLiteral("the front-door config for %1 replicas passes").arg(count)});
            else
                finish({CheckResult::Level::Fail,
                        QStringLiteral("nginx -t rejects the config: %1")
                            .arg(output.isEmpty() ? QStringLiteral("exit code %1").arg(exitCode)
                                                  : output)});
        });
    QObject::connect(
        process, &QProcess::errorOccurred, process,
        [process, finish, binary](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart)
                finish(
                    {CheckResult::Level::Fail,
                     QStringLiteral("cannot run %1 -t: %2").arg(binary, process->errorString())});
        });
    process->start(binary,
                   {QStringLiteral("-t"), QStringLiteral("-q"), QStringLiteral("-p"),
                    scratch->path() + QLatin1Char('/'), QStringLiteral("-e"),
                    scratch->filePath(QStringLiteral("error.log")), QStringLiteral("-c"), config});
}

} // namespace querydeck
