#pragma once

#include <QString>
#include <QStringList>

namespace querydeck {

// What the nginx front door enforces per client connection, before a replica
// sees a request: slow clients are cut off by the timeouts, and one address
// may have at most `connectionsPerAddress` requests in progress at once
// (limit_conn; over it nginx answers `limitStatus`). Plain data.
struct FrontDoorLimits
{
    int clientHeaderTimeoutMs = 10000; // request line and headers must arrive within this
    int clientBodyTimeoutMs = 10000;   // longest pause between two reads of the body
    int sendTimeoutMs = 30000;         // longest pause between two writes of the response
    int keepAliveTimeoutMs = 30000;    // an idle client connection is closed after this
    int connectionsPerAddress = 32;    // requests in progress per client address
    int limitStatus = 429;             // 429 or 503

    friend bool operator==(const FrontDoorLimits&, const FrontDoorLimits&) = default;
};

// How a LocalReplicaSet runs its replicas and its nginx front door. Plain data;
// the defaults suit `querydeck fleet` on one host.
struct LocalFleetOptions
{
    QString querydeckBinary; // the `querydeck` executable replicas run as `serve`
    QString nginxBinary = QStringLiteral("nginx"); // a name looked up on PATH, or a path
    QString templatePath = QStringLiteral(":/nginx/querydeck-upstream.conf.in");
    QString runtimeDir; // nginx prefix, its config, pid, logs, and the replicas' logs

    QString host = QStringLiteral("127.0.0.1");
    int frontPort = 8000;            // nginx listens here (or the only replica, without nginx)
    int replicaBasePort = 0;         // replica N listens on base + N; 0: frontPort
    QString configFile;              // passed to every replica as --config
    QStringList extraArguments;      // appended to every replica's `serve` arguments
    qint64 maxBodyBytes = 64 * 1024; // nginx's client_max_body_size (the service's limit)
    FrontDoorLimits frontDoor;

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

    // The address nginx connects to the replicas from (its proxy_bind), which
    // every replica trusts for X-Forwarded-For: the host itself, or the
    // loopback address when the host is a wildcard.
    QString frontDoorSource() const
    {
        if (host == QLatin1String("0.0.0.0"))
            return QStringLiteral("127.0.0.1");
        if (host == QLatin1String("::"))
            return QStringLiteral("::1");
        return host;
    }

    int replicaPort(int id) const
    {
        return (replicaBasePort > 0 ? replicaBasePort : frontPort) + id;
    }
};

} // namespace querydeck
