#include "backend/secrets/KeychainSecretStore.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QMutex>
#include <QThread>
#include <QWaitCondition>
#include <atomic>
#include <functional>
#include <memory>
#include <qt6keychain/keychain.h>
#include <type_traits>

namespace querydeck {

namespace {

// Set once a secret service stopped answering: its calls can block a thread
// for good, so later calls fail at once instead of stranding more threads.
std::atomic<bool> s_serviceHung{false};

QString entryLabel(const QString& key)
{
    return QStringLiteral("keychain entry \"%1\"").arg(key);
}

QString noServiceError(const QString& key, const QString& detail)
{
    return entryLabel(key) + QStringLiteral(": no secret service available (%1); use {\"env\": "
                                            "\"VARIABLE\"} on headless servers")
                                 .arg(detail);
}

QString timeoutError(const QString& key, std::chrono::milliseconds timeout)
{
    return entryLabel(key) + QStringLiteral(": the secret service did not answer within %1 ms; "
                                            "use {\"env\": \"VARIABLE\"} on headless servers")
                                 .arg(timeout.count());
}

// QtKeychain reports a missing D-Bus session only as OtherError "Unknown
// error"; look for the bus the way libdbus does, to say what is missing.
QString sessionBusProblem()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    if (!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return {};
    const QString runtimeDir = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtimeDir.isEmpty() && QFileInfo::exists(runtimeDir + QStringLiteral("/bus")))
        return {};
    return QStringLiteral("no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set and "
                          "$XDG_RUNTIME_DIR/bus does not exist");
#else
    return {};
#endif
}

QString describeJobError(const QKeychain::Job& job, const QString& key)
{
    const QString detail = job.errorString();
    switch (job.error()) {
    case QKeychain::NoError:
        return {};
    case QKeychain::EntryNotFound:
        return entryLabel(key) + QStringLiteral(": not found under the \"%1\" service")
                                     .arg(QLatin1String(KeychainSecretStore::kServiceName));
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return entryLabel(key) + QStringLiteral(": access denied (%1)").arg(detail);
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return noServiceError(key, detail);
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    const QString busProblem = sessionBusProblem();
    if (!busProblem.isEmpty())
        return noServiceError(key, busProblem + QStringLiteral("; QtKeychain: ") + detail);
    if (detail.contains(QLatin1String("D-Bus"), Qt::CaseInsensitive) ||
        detail.contains(QLatin1String("DBus"), Qt::CaseInsensitive))
        return noServiceError(key, detail);
    return entryLabel(key) + QStringLiteral(": ") + detail;
}

struct JobOutcome
{
    QString error;
    QString value; // read jobs only
};

struct SharedOutcome
{
    QMutex mutex;
    QWaitCondition ready;
    bool done = false;
    JobOutcome outcome;
};

// All QtKeychain jobs run on one long-lived thread: QtKeychain's job queue is
// a process-wide QObject that must keep living in a thread with an event loop,
// and the D-Bus connection behind it can block its thread outright (a bus that
// accepts and never answers), where no timer fires. Callers wait with a deadline
// and never on the keychain thread itself.
QMutex s_threadMutex;
QThread* s_thread = nullptr;
QObject* s_context = nullptr; // lives in s_thread; jobs are started through it

void stopKeychainThread()
{
    const QMutexLocker lock(&s_threadMutex);
    if (!s_thread)
        return;
    s_context->deleteLater();
    s_thread->quit();
    // A thread stuck in a D-Bus call is left behind: destroying it would abort.
    if (!s_serviceHung.load() && s_thread->wait(QDeadlineTimer(2000)))
        delete s_thread;
    s_thread = nullptr;
    s_context = nullptr;
}

QObject* keychainContext()
{
    const QMutexLocker lock(&s_threadMutex);
    if (!s_thread) {
        s_thread = new QThread;
        s_thread->setObjectName(QStringLiteral("querydeck-keychain"));
        s_context = new QObject;
        s_context->moveToThread(s_thread);
        s_thread->start();
        qAddPostRoutine(stopKeychainThread);
    }
    return s_context;
}

// Starts the job on the keychain thread and waits for its answer until the
// timeout. A job that never answers is abandoned (deleting a job with a pending
// D-Bus call is unsafe) and marks the service as hung for this process.
template <typename JobType>
JobOutcome runJob(std::function<JobType*()> makeJob, const QString& key,
                  std::chrono::milliseconds timeout)
{
    if (!QCoreApplication::instance())
        return {entryLabel(key) + QStringLiteral(": the keychain needs a QCoreApplication"), {}};
    if (s_serviceHung.load())
        return {entryLabel(key) + QStringLiteral(": the secret service stopped answering earlier "
                                                 "in this process; use {\"env\": \"VARIABLE\"} "
                                                 "on headless servers"),
                {}};
    const QDeadlineTimer deadline(timeout);
    auto shared = std::make_shared<SharedOutcome>();
    QMetaObject::invokeMethod(
        keychainContext(),
        [shared, makeJob, key] {
            JobType* job = makeJob();
            job->setAutoDelete(false);
            job->setInsecureFallback(false); // never plain text on disk
            job->setKey(key);
            QObject::connect(job, &QKeychain::Job::finished, job, [shared, job, key] {
                JobOutcome outcome{describeJobError(*job, key), {}};
                if constexpr (std::is_same_v<JobType, QKeychain::ReadPasswordJob>) {
                    if (outcome.error.isEmpty())
                        outcome.value = job->textData();
                }
                job->deleteLater();
                const QMutexLocker lock(&shared->mutex);
                shared->outcome = std::move(outcome);
                shared->done = true;
                shared->ready.wakeAll();
            });
            job->start();
        },
        Qt::QueuedConnection);

    QMutexLocker lock(&shared->mutex);
    while (!shared->done) {
        if (!shared->ready.wait(&shared->mutex, deadline))
            break;
    }
    if (!shared->done) {
        s_serviceHung.store(true);
        return {timeoutError(key, timeout), {}};
    }
    return shared->outcome;
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

    const std::function<QKeychain::ReadPasswordJob*()> makeJob = [] {
        return new QKeychain::ReadPasswordJob(QLatin1String(kServiceName));
    };
    JobOutcome outcome = runJob(makeJob, ref.keychainKey, m_timeout);
    if (!outcome.error.isEmpty())
        return {{}, outcome.error};
    if (outcome.value.isEmpty())
        return {{}, entryLabel(ref.keychainKey) + QStringLiteral(": is empty")};
    return {outcome.value, {}};
}

QString KeychainSecretStore::write(const QString& keychainKey, const QString& value)
{
    if (keychainKey.trimmed().isEmpty())
        return QStringLiteral("keychain entry: no name given");
    if (value.isEmpty())
        return entryLabel(keychainKey) + QStringLiteral(": refusing to store an empty secret");
    const std::function<QKeychain::WritePasswordJob*()> makeJob = [value] {
        auto* job = new QKeychain::WritePasswordJob(QLatin1String(kServiceName));
        job->setTextData(value);
        return job;
    };
    return runJob(makeJob, keychainKey, m_timeout).error;
}

} // namespace querydeck
