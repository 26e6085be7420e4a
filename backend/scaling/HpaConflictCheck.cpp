#include "backend/scaling/HpaConflictCheck.h"

#include "backend/fleet/KubernetesReplicaSet.h"

#include <memory>

namespace querydeck {

HpaConflictCheck::HpaConflictCheck(KubernetesReplicaSet* replicas)
    : m_replicas(replicas)
{
}

void HpaConflictCheck::run(const ScaleRequest&, QObject* context, Done done)
{
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(
        m_replicas, &KubernetesReplicaSet::hpaChecked, context,
        [connection, done](const QString& warning, const QString& error) {
            QObject::disconnect(*connection);
            if (!error.isEmpty())
                done({CheckResult::Level::Warn, QStringLiteral("HPA not checked: ") + error});
            else if (!warning.isEmpty())
                done({CheckResult::Level::Fail, warning});
            else
                done({CheckResult::Level::Pass, QStringLiteral("no HPA manages the deployment")});
        });
    m_replicas->checkHpa();
}

} // namespace querydeck
