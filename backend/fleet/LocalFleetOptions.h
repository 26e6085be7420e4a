#pragma once

#include <QString>
#include <QStringList>

namespace querydeck {

// How a LocalReplicaSet runs its replicas and its nginx front door. Plain data;
// the defaults suit `querydeck fleet` on one host.
struct LocalFleetOptions
{
    QString querydeckBinary; // the `querydeck` executable replicas run as `serve`
    QString nginxBinary = QStringLiteral("nginx"); // a name looked up on PATH, or a path
    QString templatePath = QStringLiteral(":/nginx/querydeck-upstream.conf.in");
    QString runtimeDir; // nginx prefix, its config, pid, logs, and the replicas' logs

    QString host = QStringLiteral("127.0.0.1");
    int frontPort = 8000;       // nginx listens here (or the only replica, without nginx)
    int replicaBasePort = 0;    // replica N listens on base + N; 0: frontPort
    QString configFile;         // passed to every replica as --config
    QStringList extraArguments; // appended to every replica's `serve` arguments
    qint64 maxBodyBytes = 64 * 1024;

    int readyTimeoutMs = 60000; // start → /ready 200
    int drainTimeoutMs = 20000; // in-flight requests → 0
    int stopTimeoutMs = 10000;  // SIGTERM → exit, then SIGKILL
    int reloadTimeoutMs = 5000; // nginx reload → new generation served

    // Crashed replicas restart after backoffInitialMs, doubling to backoffMaxMs;
    // more than restartBudget crashes within restartWindowMs: the replica is failed.
    int backoffInitialMs = 500;
    int backoffMaxMs = 30000;
    int restartBudget = 5;
    int restartWindowMs = 300000;

    int maxReplicas = 32;

    int replicaPort(int id) const
    {
        return (replicaBasePort > 0 ? replicaBasePort : frontPort) + id;
    }
};

} // namespace querydeck
