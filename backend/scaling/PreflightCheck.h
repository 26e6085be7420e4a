#pragma once

#include "backend/scaling/ScaleRequest.h"

#include <QObject>
#include <QString>
#include <functional>

namespace querydeck {

class KubernetesReplicaSet;

struct CheckResult
{
    enum class Level
    {
        Pass,
        Warn,
        Fail
    };
    Level level = Level::Pass;
    QString message;
};
QString checkLevelName(CheckResult::Level level);

// One pre-flight check of a scale request. run() may finish at once or
// later; it calls `done` exactly once, on the caller's thread.
class PreflightCheck
{
public:
    using Done = std::function<void(const CheckResult&)>;
    virtual ~PreflightCheck() = default;
    virtual QString name() const = 0;
    virtual void run(const ScaleRequest& request, QObject* context, Done done) = 0;
};

// The ports of the replicas to be added are free on 127.0.0.1.
class PortsFreeCheck final : public PreflightCheck
{
public:
    QString name() const override { return QStringLiteral("ports free"); }
    void run(const ScaleRequest& request, QObject* context, Done done) override;
};

// Enough available memory and CPU cores on this host for the added replicas.
// Reads /proc/meminfo (MemAvailable) and the core count; a root for tests.
class HostResourcesCheck final : public PreflightCheck
{
public:
    explicit HostResourcesCheck(QString procRoot = QStringLiteral("/proc"));
    QString name() const override { return QStringLiteral("host memory and CPU"); }
    void run(const ScaleRequest& request, QObject* context, Done done) override;

private:
    QString m_procRoot;
};

// Fails when an HPA manages the deployment: it would undo a manual scale.
class HpaConflictCheck final : public PreflightCheck
{
public:
    explicit HpaConflictCheck(KubernetesReplicaSet* replicas);
    QString name() const override { return QStringLiteral("no HPA conflict"); }
    void run(const ScaleRequest& request, QObject* context, Done done) override;

private:
    KubernetesReplicaSet* m_replicas;
};

} // namespace querydeck
