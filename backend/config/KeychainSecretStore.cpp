#include "config/KeychainSecretStore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <memory>
#include <qt6keychain/keychain.h>
#include <type_traits>

namespace querydeck {

namespace {

QString entryLabel(const QString& key)
{
    return QStringLiteral("keychain entry \"%1\"").arg(key);
}

// Runs a QtKeychain job to its end or to the timeout. On timeout the job is
// left to delete itself when it finally finishes: deleting a job whose D-Bus
// call is still pending is not safe.
template <typename JobType>
QString runJob(std::unique_ptr<JobType> job, const QString& key, std::chrono::milliseconds timeout,
               QString* textData = nullptr)
{
    if (!QCoreApplication::instance())
        return entryLabel(key) + QStringLiteral(": the keychain needs a running QCoreApplication");
    job->setAutoDelete(false);
    job->setInsecureFallback(false); // never plain text on disk
    job->setKey(key);

    QEventLoop loop;
    bool finished = false;
    const QMetaObject::Connection done =
        QObject::connect(job.get(), &QKeychain::Job::finished, &loop, [&finished, &loop] {
            finished = true;
            loop.quit();
        });
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    timer.start(timeout);
    job->start();
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    QObject::disconnect(done);

    if (!finished) {
        JobType* orphan = job.release();
        QObject::connect(orphan, &QKeychain::Job::finished, orphan, &QObject::deleteLater);
        return entryLabel(key) +
               QStringLiteral(": the secret service did not answer within %1 ms; use {\"env\": "
                              "\"VARIABLE\"} on headless servers")
                   .arg(timeout.count());
    }

    const QString detail = job->errorString();
    switch (job->error()) {
    case QKeychain::NoError:
        if constexpr (std::is_same_v<JobType, QKeychain::ReadPasswordJob>) {
            if (textData)
                *textData = job->textData();
        }
        return {};
    case QKeychain::EntryNotFound:
        return entryLabel(key) +
               QStringLiteral(": not found under the \"%1\" service of the secret service")
                   .arg(QLatin1String(KeychainSecretStore::kServiceName));
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return entryLabel(key) + QStringLiteral(": access denied (%1)").arg(detail);
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return entryLabel(key) + QStringLiteral(": no secret service available (%1); use "
                                                "{\"env\": \"VARIABLE\"} on headless servers")
                                     .arg(detail);
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    // Without a D-Bus session QtKeychain reports OtherError with a D-Bus message.
    if (detail.contains(QLatin1String("D-Bus"), Qt::CaseInsensitive) ||
        detail.contains(QLatin1String("DBus"), Qt::CaseInsensitive))
        return entryLabel(key) + QStringLiteral(": no secret service available (%1); use "
                                                "{\"env\": \"VARIABLE\"} on headless servers")
                                     .arg(detail);
    return entryLabel(key) + QStringLiteral(": %1").arg(detail);
}

} // namespace

KeychainSecretStore::KeychainSecretStore(std::chrono::milliseconds timeout)
    : m_timeout(timeout)
{
}

SecretResult KeychainSecretStore::read(const SecretRef& ref)
{
    if (!ref.keychainKey.isEmpty() && !ref.envVar.isEmpty())
        return {{},
                QStringLiteral("secret reference names both keychain entry \"%1\" and "
                               "environment variable \"%2\"; use one")
                    .arg(ref.keychainKey, ref.envVar)};
    if (!ref.envVar.isEmpty())
        return readEnvironment(ref.envVar);
    if (ref.keychainKey.isEmpty())
        return {{}, QStringLiteral("no secret reference set")};

    QString value;
    const QString error =
        runJob(std::make_unique<QKeychain::ReadPasswordJob>(QLatin1String(kServiceName)),
               ref.keychainKey, m_timeout, &value);
    if (!error.isEmpty())
        return {{}, error};
    if (value.isEmpty())
        return {{}, entryLabel(ref.keychainKey) + QStringLiteral(": is empty")};
    return {value, {}};
}

QString KeychainSecretStore::write(const QString& keychainKey, const QString& value)
{
    if (keychainKey.trimmed().isEmpty())
        return QStringLiteral("keychain entry: no name given");
    if (value.isEmpty())
        return entryLabel(keychainKey) + QStringLiteral(": refusing to store an empty secret");
    auto job = std::make_unique<QKeychain::WritePasswordJob>(QLatin1String(kServiceName));
    job->setTextData(value);
    return runJob(std::move(job), keychainKey, m_timeout);
}

} // namespace querydeck
