#pragma once

#include "backend/fleet/LocalFleetOptions.h"

#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QStringList>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QTimer;

namespace querydeck {

// The nginx in front of a local fleet: a child process with its own prefix,
// pid file and error log in the runtime directory (never the system nginx).
// Every config change is rendered from the template, checked with `nginx -t`
// and only then made live by a reload (SIGHUP to the master, which is what
// `nginx -s reload` sends); a rejected config is discarded and the running one
// kept. A change counts as applied once nginx serves its generation number.
// Asynchronous, no waits (start included); lives on the thread that created
// it. Only the destructor waits, bounded, for nginx to exit.
class NginxFrontDoor : public QObject
{
    Q_OBJECT

public:
    NginxFrontDoor(const LocalFleetOptions& options, QNetworkAccessManager* network,
                   QObject* parent = nullptr);
    ~NginxFrontDoor() override; // stops nginx (fast shutdown) if it still runs

    // The executable `name` resolves to (a path, or a name on PATH); empty when none.
    static QString findBinary(const QString& nameOrPath);

    bool isRunning() const; // starting or running
    bool isBusy() const { return m_busy; }
    QStringList servers() const { return m_servers; } // in the live config
    QString configPath() const;
    QString errorLogPath() const;

    // Starts nginx with `servers` (the first call) or reloads with them.
    // Emits applied() or failed(); a call while busy is queued (the last wins).
    void apply(const QStringList& servers);
    // Graceful shutdown (SIGQUIT), SIGKILL after the stop timeout; emits stopped().
    void stop();

signals:
    void applied(const QStringList& servers);
    void failed(const QString& error);
    void stopped();
    void event(const QString& message);

private:
    void scheduleNext();
    void runNext();
    void onCheckFinished(int exitCode);
    void makeLive();
    void pollGeneration();
    void finish(const QString& error);
    QString processOutputTail();
    QStringList baseArguments(const QString& config) const;

    LocalFleetOptions m_options;
    QNetworkAccessManager* m_network;
    QString m_binary;
    std::unique_ptr<QProcess> m_nginx;
    std::unique_ptr<QProcess> m_check;
    QTimer* m_pollTimer;
    QTimer* m_stopTimer;
    QStringList m_servers;
    std::optional<QStringList> m_queued;
    QStringList m_applying;
    int m_generation = 0;
    int m_pendingGeneration = 0;
    qint64 m_deadlineMs = 0;
    bool m_busy = false;
    bool m_scheduled = false;
    bool m_pollInFlight = false;
    bool m_stopping = false;
    bool m_stopRequested = false; // for good: apply() does nothing after stop()
};

} // namespace querydeck
