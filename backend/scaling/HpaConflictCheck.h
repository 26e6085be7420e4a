#pragma once

#include "backend/scaling/PreflightCheck.h"

namespace querydeck {

class KubernetesReplicaSet;

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
