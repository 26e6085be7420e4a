#pragma once

#include "backend/fleet/LocalFleetOptions.h"
#include "backend/fleet/ReplicaSet.h"

#include <QDateTime>
#include <QFile>
#include <QList>
#include <QObject>
#include <QProcess>
#include <memory>

class QNetworkAccessManager;
class QTimer;

namespace querydeck {

// One `querydeck serve --port P --replica-id N` child process: starts it,
// polls /ready, reads in-flight requests from /metrics, drains it through the
// service's own /admin/drain, stops it (SIGTERM, SIGKILL last) and restarts it
// after a crash with exponential backoff within a restart budget. Its output
// goes to replica-N.log in the runtime directory. Lives on the thread that
// created it; asynchronous.
class LocalReplica : public QObject
{
    Q_OBJECT

public:
    LocalReplica(int id, int port, const LocalFleetOptions& options, const QByteArray& adminToken,
                 QNetworkAccessManager* network, QObject* parent = nullptr);
    ~LocalReplica() override; // kills the process if it still runs

    static constexpr const char* kAdminTokenVariable = "QUERYDECK_FLEET_ADMIN_TOKEN";

    int id() const { return m_id; }
    QString address() const;
    ReplicaInfo info() const;
    ReplicaState state() const { return m_state; }
    bool isRunning() const;
    QString logPath() const;
    // Where replica `id` of a set in `runtimeDir` writes its log.
    static QString logPathIn(const QString& runtimeDir, int id);

    void start();
    // Marks the replica draining: /admin/drain makes its /ready answer 503.
    void beginDrain();
    // Waits for in-flight requests to reach 0 (bounded by the drain timeout),
    // then SIGTERM, then SIGKILL after the stop timeout; emits stopped().
    void stopWhenIdle();
    void pollMetrics();
    // For a manual restart: the budget and the counters are not a crash's.
    void setRestartAfterStop(bool restart) { m_restartAfterStop = restart; }
    bool restartAfterStop() const { return m_restartAfterStop; }

signals:
    void stateChanged();
    void stopped();
    // Crashed more than the budget allows, or never became ready: given up.
    void gaveUp(const QString& reason);
    void event(const QString& message);
    // One line the process wrote (it is in the log file too).
    void output(const QString& line);

private:
    void setState(ReplicaState state);
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void pollReady();
    void terminate();
    void appendLog(const QByteArray& text);

    int m_id;
    int m_port;
    LocalFleetOptions m_options;
    QByteArray m_adminToken;
    QNetworkAccessManager* m_network;
    std::unique_ptr<QProcess> m_process;
    QFile m_log;
    QByteArray m_partialLine;
    QTimer* m_readyTimer;
    QTimer* m_drainTimer;
    QTimer* m_killTimer;
    QTimer* m_restartTimer;
    ReplicaState m_state = ReplicaState::Stopped;
    int m_inFlight = -1;
    int m_restarts = 0;
    QList<qint64> m_crashTimes;
    QDateTime m_startedAt;
    qint64 m_readyDeadlineMs = 0;
    qint64 m_drainDeadlineMs = 0;
    bool m_stopping = false;
    bool m_restartAfterStop = false;
    bool m_readyPollInFlight = false;
    bool m_metricsPollInFlight = false;
};

} // namespace querydeck
