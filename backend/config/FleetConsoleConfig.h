#pragma once

#include "fleet/HpaPolicy.h"
#include "fleet/KubernetesReplicaSet.h"
#include "fleet/RulePolicy.h"
#include "fleet/ScalingTypes.h"

#include <QString>

namespace querydeck {

class JsonFieldReader;

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

    // kind "kubernetes"; the API server defaults to the in-cluster address.
    KubernetesConfig kubernetes = inClusterKubernetes();

    static KubernetesConfig inClusterKubernetes()
    {
        KubernetesConfig config;
        config.apiServer = QUrl(QStringLiteral("https://kubernetes.default.svc"));
        return config;
    }

    bool isLocal() const { return kind == QLatin1String("local"); }
    bool isKubernetes() const { return kind == QLatin1String("kubernetes"); }

    friend bool operator==(const FleetConsoleConfig&, const FleetConsoleConfig&) = default;
};

// `console.autoscaler`: the policy the console runs over the fleet's metrics.
struct AutoscalerConsoleConfig
{
    AutoscaleMode mode = AutoscaleMode::Off;
    QString policy = QStringLiteral("rules"); // "rules", "hpa"
    int intervalMs = 15000;                   // one evaluation per interval
    RulePolicyConfig rules;
    HpaPolicyConfig hpa;

    friend bool operator==(const AutoscalerConsoleConfig&,
                           const AutoscalerConsoleConfig&) = default;
};

// Readers of the two sections; errors name the dotted field (see JsonFieldReader).
void readFleetSection(JsonFieldReader& fleet, FleetConsoleConfig& out);
void readAutoscalerSection(JsonFieldReader& autoscaler, AutoscalerConsoleConfig& out);

} // namespace querydeck
