#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <optional>

namespace querydeck {

// What the auto-scaler sees at one instant. A metric without data (no
// series, a source down) is std::nullopt: policies never scale down on it.
struct MetricSnapshot
{
    qint64 t = 0;                         // wall-clock ms; the policies' only clock
    int replicas = 0;                     // current replica count (desired count of the set)
    std::optional<double> cpuPercent;     // average CPU of the replicas, 0..100
    std::optional<double> latencySeconds; // average query latency
    std::optional<double> queueDepth;     // requests waiting, summed over replicas
    // Of `replicas`, those starting or ready: the capacity the policies reason
    // from, since a failed replica serves nothing. -1: not known (all count).
    int working = -1;
    int ready = -1; // -1: not known
    int failed = 0; // crashed, restarting or given up; Failed pods

    // `replicas` held by failed replicas: the policy asks for them on top of
    // the working count it wants, so the set replaces them.
    int failedSlots() const;
};

enum class AutoscaleMode
{
    Off,       // nothing evaluated
    Recommend, // decisions shown and logged, never applied
    Apply      // decisions applied through ReplicaSet::scale
};
QString autoscaleModeName(AutoscaleMode mode);
std::optional<AutoscaleMode> parseAutoscaleMode(const QString& text);

// One evaluation: the count asked for, why, and the inputs that caused it.
struct ScaleDecision
{
    qint64 t = 0;
    int current = 0;
    int desired = 0;
    QString reason;
    MetricSnapshot inputs;

    bool changes() const { return desired != current; }
    // "12:00:05 3 -> 4: CPU 82% > 70% for 5m (cpu 82%, latency 1.2 s, queue 4)";
    // "(2 of 3 ready, 1 failed; cpu ...)" when not every replica is ready.
    QString describe() const;
};

// A policy config's validation error: the config key it is about (snake_case,
// relative to the policy's section, as the user wrote it) and what is wrong,
// so the config reader reports it under the key's full dotted path.
struct FieldProblem
{
    QString field; // "cpu_down_percent", "scale_up.policies[0].value"
    QString message;
    QString toString() const { return field + QStringLiteral(": ") + message; }
};

// One scaling policy of HPA behaviour: at most `value` pods, or `value`
// percent of the count at the start of the period, per `periodSeconds`.
struct StepPolicy
{
    enum class Type
    {
        Pods,
        Percent
    };
    Type type = Type::Pods;
    int value = 1;
    int periodSeconds = 60;

    friend bool operator==(const StepPolicy&, const StepPolicy&) = default;
};

// Step limits of one direction, as HPA's spec.behavior.scaleUp/scaleDown:
// `select` Max takes the policy allowing the biggest change, Min the
// smallest, Disabled forbids this direction.
struct StepLimits
{
    enum class Select
    {
        Max,
        Min,
        Disabled
    };
    QList<StepPolicy> policies; // empty: no limit
    Select select = Select::Max;

    // HPA's bounds: at most 10 policies, value >= 1, period 1..1800 s.
    static constexpr int kMaxPolicies = 10;
    static constexpr int kMaxPeriodSeconds = 1800;

    // The first bad policy, its field named as in the config file
    // ("policies[1].period_seconds"), or nullopt.
    std::optional<FieldProblem> problem() const;

    friend bool operator==(const StepLimits&, const StepLimits&) = default;
};

} // namespace querydeck

Q_DECLARE_METATYPE(querydeck::ScaleDecision)
Q_DECLARE_METATYPE(querydeck::AutoscaleMode)
