#pragma once

#include "backend/fleet/KubernetesReplicaSet.h"
#include "backend/fleet/LocalFleetOptions.h"
#include "backend/scaling/ScaleRequest.h"

#include <QString>
#include <optional>

namespace querydeck {

// `console.fleet`: the replicas the console operates. Kind "none" (the
// default) keeps local dev mode's single embedded service.
struct FleetConsoleConfig
{
    QString kind = QStringLiteral("none"); // "none", "local", "kubernetes"

    // kind "local": `querydeck serve` children behind a managed nginx.
    int replicas = 2;
    int port = 8100;  // nginx front door
    int basePort = 0; // replica N on base_port + N; 0: port + N
    QString nginx = QStringLiteral("nginx");
    QString corpus;     // passed to every replica as --corpus
    QString configFile; // passed to every replica as --config
    QString runtimeDir; // nginx and replica logs; empty: a folder under the runtime dir
    // In-flight requests → 0 on scale-down (as `querydeck fleet --drain-timeout-ms`);
    // unset: the service's http.drain_timeout_ms.
    std::optional<int> drainTimeoutMs;
    FrontDoorLimits frontDoor; // local.front_door: nginx's client timeouts and per-address limit

    // Any kind: the scale wizard's starting price (a plain number, no currency).
    double pricePerInstanceMonth = ScaleRequest{}.pricePerInstanceMonth;

    // kind "kubernetes"; the API server defaults to the in-cluster address.
    KubernetesConfig kubernetes = inClusterKubernetes();

    static KubernetesConfig inClusterKubernetes()
    {
        KubernetesConfig config;
        config.apiServer = QUrl(QStringLiteral("https://kubernetes.default.svc"));
        return config;
    }

    // What the scale wizard starts from (the configured price).
    ScaleRequest scaleDefaults() const;

    bool isLocal() const { return kind == QLatin1String("local"); }
    bool isKubernetes() const { return kind == QLatin1String("kubernetes"); }

    friend bool operator==(const FleetConsoleConfig&, const FleetConsoleConfig&) = default;
};

// The local fields of `fleet` applied to `options` (nginx, ports, drain
// timeout); `serviceDrainTimeoutMs` stands in for an unset drain_timeout_ms.
void applyLocalFleetOptions(const FleetConsoleConfig& fleet, int serviceDrainTimeoutMs,
                            LocalFleetOptions& options);

} // namespace querydeck
