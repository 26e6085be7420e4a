#include "backend/config/FleetSectionReaders.h"

#include "backend/common/JsonFieldReader.h"

namespace querydeck {

namespace {

// Kubernetes' own validation names camelCase fields ("kubernetes.timeoutMs");
// the file's fields are snake_case under console.fleet.kubernetes.
void readKubernetes(JsonFieldReader& kube, KubernetesConfig& out)
{
    QString url;
    if (kube.readUrl(QStringLiteral("api_url"), url) && !url.isEmpty())
        out.apiServer = QUrl(url);
    kube.readString(QStringLiteral("namespace"), out.ns, 253);
    kube.readString(QStringLiteral("deployment"), out.deployment, 253);
    kube.readSecret(QStringLiteral("token"), out.token);
    kube.readString(QStringLiteral("ca_file"), out.caFile);
    kube.readInt(QStringLiteral("timeout_ms"), out.timeoutMs, 100, 600000);
    kube.readInt(QStringLiteral("poll_interval_ms"), out.pollIntervalMs, 50, 60000);
    kube.readInt(QStringLiteral("scale_timeout_ms"), out.scaleTimeoutMs, 1000, 3600000);
    kube.reportUnknownKeys();
}

// `scale_up` / `scale_down` as HPA v2's spec.behavior.scaleUp/scaleDown:
// {"policies": [{"type": "Pods"|"Percent", "value": n, "period_seconds": s}],
//  "select_policy": "Max"|"Min"|"Disabled", "stabilization_window_seconds": s}.
// `stabilization` is null for the rules policy, whose cooldowns play that role.
// Returns whether stabilization_window_seconds was given.
bool readBehavior(JsonFieldReader& parent, const QString& key, StepLimits& limits,
                  int* stabilization)
{
    JsonFieldReader r = parent.section(key);
    bool ok = true;
    const QList<JsonFieldReader> items =
        r.objectArray(QStringLiteral("policies"), StepLimits::kMaxPolicies, &ok);
    QList<StepPolicy> policies;
    for (JsonFieldReader item : items) {
        StepPolicy policy;
        QString type;
        if (!item.has(QStringLiteral("type")) || !item.has(QStringLiteral("value")) ||
            !item.has(QStringLiteral("period_seconds"))) {
            item.addError(QString(), QStringLiteral("needs type, value and period_seconds"));
            ok = false;
        }
        ok &= item.readEnum(QStringLiteral("type"), type,
                            {QStringLiteral("Pods"), QStringLiteral("Percent")});
        policy.type =
            type == QLatin1String("Percent") ? StepPolicy::Type::Percent : StepPolicy::Type::Pods;
        ok &= item.readInt(QStringLiteral("value"), policy.value, 1, 1000);
        ok &= item.readInt(QStringLiteral("period_seconds"), policy.periodSeconds, 1,
                           StepLimits::kMaxPeriodSeconds);
        item.reportUnknownKeys();
        policies << policy;
    }
    if (ok && r.has(QStringLiteral("policies")))
        limits.policies = policies;
    QString select = limits.select == StepLimits::Select::Min        ? QStringLiteral("Min")
                     : limits.select == StepLimits::Select::Disabled ? QStringLiteral("Disabled")
                                                                     : QStringLiteral("Max");
    if (r.readEnum(QStringLiteral("select_policy"), select,
                   {QStringLiteral("Max"), QStringLiteral("Min"), QStringLiteral("Disabled")}))
        limits.select = select == QLatin1String("Min")        ? StepLimits::Select::Min
                        : select == QLatin1String("Disabled") ? StepLimits::Select::Disabled
                                                              : StepLimits::Select::Max;
    const bool window = r.has(QStringLiteral("stabilization_window_seconds"));
    if (stabilization)
        r.readInt(QStringLiteral("stabilization_window_seconds"), *stabilization, 0, 3600);
    else if (window)
        r.addError(QStringLiteral("stabilization_window_seconds"),
                   QStringLiteral("the rules policy has no stabilization window; its "
                                  "cooldown_up_seconds / cooldown_down_seconds play that role"));
    r.reportUnknownKeys();
    return window;
}

// The end of a policy section: unknown keys warned about, then the policy's
// own cross-field check (down below up, min <= max, step policies) reported
// under the config key it names; `out` takes the section only when it passes.
template <typename PolicyConfig>
void acceptIfValid(JsonFieldReader& r, const PolicyConfig& read, PolicyConfig& out)
{
    r.reportUnknownKeys();
    if (const std::optional<FieldProblem> problem = read.problem())
        r.addError(problem->field, problem->message);
    else
        out = read;
}

void readRules(JsonFieldReader& r, RulePolicyConfig& out)
{
    RulePolicyConfig c = out;
    r.readDouble(QStringLiteral("cpu_up_percent"), c.cpuUpPercent, 0, 100, true);
    r.readInt(QStringLiteral("cpu_up_for_seconds"), c.cpuUpForSeconds, 0, 86400);
    r.readDouble(QStringLiteral("latency_up_seconds"), c.latencyUpSeconds, 0, 3600, true);
    r.readInt(QStringLiteral("latency_up_for_seconds"), c.latencyUpForSeconds, 0, 86400);
    r.readDouble(QStringLiteral("queue_up_depth"), c.queueUpDepth, 0, 1e6, true);
    r.readDouble(QStringLiteral("cpu_down_percent"), c.cpuDownPercent, 0, 100);
    r.readInt(QStringLiteral("cpu_down_for_seconds"), c.cpuDownForSeconds, 0, 86400);
    r.readDouble(QStringLiteral("queue_down_depth"), c.queueDownDepth, 0, 1e6);
    r.readInt(QStringLiteral("step_up"), c.stepUp, 1, 1000);
    r.readInt(QStringLiteral("step_down"), c.stepDown, 1, 1000);
    r.readInt(QStringLiteral("cooldown_up_seconds"), c.cooldownUpSeconds, 0, 86400);
    r.readInt(QStringLiteral("cooldown_down_seconds"), c.cooldownDownSeconds, 0, 86400);
    r.readInt(QStringLiteral("min_replicas"), c.minReplicas, 1, 1000);
    r.readInt(QStringLiteral("max_replicas"), c.maxReplicas, 1, 1000);
    readBehavior(r, QStringLiteral("scale_up"), c.upLimits, nullptr);
    readBehavior(r, QStringLiteral("scale_down"), c.downLimits, nullptr);
    acceptIfValid(r, c, out);
}

void readHpa(JsonFieldReader& r, HpaPolicyConfig& out)
{
    HpaPolicyConfig c = out;
    r.readDouble(QStringLiteral("cpu_target_percent"), c.cpuTargetPercent, 0, 100);
    r.readDouble(QStringLiteral("latency_target_seconds"), c.latencyTargetSeconds, 0, 3600);
    r.readDouble(QStringLiteral("queue_per_replica_target"), c.queuePerReplicaTarget, 0, 1e6);
    r.readDouble(QStringLiteral("tolerance"), c.tolerance, 0, 1);
    r.readInt(QStringLiteral("up_stabilization_seconds"), c.upStabilizationSeconds, 0, 3600);
    r.readInt(QStringLiteral("down_stabilization_seconds"), c.downStabilizationSeconds, 0, 3600);
    r.readInt(QStringLiteral("min_replicas"), c.minReplicas, 1, 1000);
    r.readInt(QStringLiteral("max_replicas"), c.maxReplicas, 1, 1000);
    // Both spellings of the windows: the older flat keys, and HPA's behavior.
    const bool flatUp = r.has(QStringLiteral("up_stabilization_seconds"));
    const bool flatDown = r.has(QStringLiteral("down_stabilization_seconds"));
    const bool upWindow =
        readBehavior(r, QStringLiteral("scale_up"), c.upLimits, &c.upStabilizationSeconds);
    const bool downWindow =
        readBehavior(r, QStringLiteral("scale_down"), c.downLimits, &c.downStabilizationSeconds);
    if (upWindow && flatUp)
        r.addError(QStringLiteral("scale_up.stabilization_window_seconds"),
                   QStringLiteral("set twice: up_stabilization_seconds is given too"));
    if (downWindow && flatDown)
        r.addError(QStringLiteral("scale_down.stabilization_window_seconds"),
                   QStringLiteral("set twice: down_stabilization_seconds is given too"));
    acceptIfValid(r, c, out);
}

} // namespace

void readFleetSection(JsonFieldReader& fleet, FleetConsoleConfig& out)
{
    fleet.readEnum(QStringLiteral("kind"), out.kind,
                   {QStringLiteral("none"), QStringLiteral("local"), QStringLiteral("kubernetes")});
    fleet.readDouble(QStringLiteral("price_per_instance_month"), out.pricePerInstanceMonth, 0, 1e6);
    JsonFieldReader local = fleet.section(QStringLiteral("local"));
    local.readInt(QStringLiteral("replicas"), out.replicas, 1, 32);
    local.readInt(QStringLiteral("port"), out.port, 1, 65535);
    local.readInt(QStringLiteral("base_port"), out.basePort, 0, 65535);
    local.readString(QStringLiteral("nginx"), out.nginx);
    local.readString(QStringLiteral("corpus"), out.corpus);
    local.readString(QStringLiteral("config"), out.configFile);
    local.readString(QStringLiteral("runtime_dir"), out.runtimeDir);
    if (local.has(QStringLiteral("drain_timeout_ms"))) {
        int drain = 0;
        if (local.readInt(QStringLiteral("drain_timeout_ms"), drain, 0, 3600000))
            out.drainTimeoutMs = drain;
    }
    JsonFieldReader frontDoor = local.section(QStringLiteral("front_door"));
    readFrontDoorSection(frontDoor, out.frontDoor);
    if (out.nginx.isEmpty())
        local.addError(QStringLiteral("nginx"), QStringLiteral("must name the nginx binary"));
    const int lastPort = (out.basePort > 0 ? out.basePort : out.port) + out.replicas;
    if (lastPort > 65535)
        local.addError(QStringLiteral("replicas"),
                       QStringLiteral("%1 replicas from port %2 would run past 65535")
                           .arg(out.replicas)
                           .arg(out.basePort > 0 ? out.basePort : out.port));
    local.reportUnknownKeys();

    JsonFieldReader kube = fleet.section(QStringLiteral("kubernetes"));
    readKubernetes(kube, out.kubernetes);
    if (out.isKubernetes()) {
        if (out.kubernetes.deployment.isEmpty())
            kube.addError(QStringLiteral("deployment"),
                          QStringLiteral("is required for kind \"kubernetes\""));
        else if (const QString problem = out.kubernetes.validate(); !problem.isEmpty())
            kube.addError(QString(), problem);
    }
    fleet.reportUnknownKeys();
}

void readFrontDoorSection(JsonFieldReader& frontDoor, FrontDoorLimits& out)
{
    constexpr int kMaxMs = 3600 * 1000;
    frontDoor.readInt(QStringLiteral("client_header_timeout_ms"), out.clientHeaderTimeoutMs, 100,
                      kMaxMs);
    frontDoor.readInt(QStringLiteral("client_body_timeout_ms"), out.clientBodyTimeoutMs, 100,
                      kMaxMs);
    frontDoor.readInt(QStringLiteral("send_timeout_ms"), out.sendTimeoutMs, 100, kMaxMs);
    frontDoor.readInt(QStringLiteral("keep_alive_timeout_ms"), out.keepAliveTimeoutMs, 100, kMaxMs);
    frontDoor.readInt(QStringLiteral("connections_per_address"), out.connectionsPerAddress, 1,
                      100000);
    int status = out.limitStatus;
    if (frontDoor.readInt(QStringLiteral("limit_status"), status, 429, 503)) {
        if (status == 429 || status == 503)
            out.limitStatus = status;
        else
            frontDoor.addError(QStringLiteral("limit_status"),
                               QStringLiteral("must be 429 or 503, got %1").arg(status));
    }
    frontDoor.reportUnknownKeys();
}

void readAutoscalerSection(JsonFieldReader& autoscaler, AutoscalerConsoleConfig& out)
{
    QString mode = autoscaleModeName(out.mode);
    if (autoscaler.readEnum(
            QStringLiteral("mode"), mode,
            {QStringLiteral("off"), QStringLiteral("recommend"), QStringLiteral("apply")}))
        out.mode = parseAutoscaleMode(mode).value_or(out.mode);
    autoscaler.readEnum(QStringLiteral("policy"), out.policy,
                        {QStringLiteral("rules"), QStringLiteral("hpa")});
    autoscaler.readInt(QStringLiteral("interval_ms"), out.intervalMs, 250, 3600 * 1000);
    JsonFieldReader rules = autoscaler.section(QStringLiteral("rules"));
    readRules(rules, out.rules);
    JsonFieldReader hpa = autoscaler.section(QStringLiteral("hpa"));
    readHpa(hpa, out.hpa);
    autoscaler.reportUnknownKeys();
}

} // namespace querydeck
