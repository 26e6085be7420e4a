#pragma once

#include "backend/fleet/ReplicaSet.h"

#include <QStringList>

namespace querydeck::test {

// A ReplicaSet whose replica list the test sets (set() emits
// replicasChanged) and which records what was asked of it, for tests of
// what follows a set (the replicas dock and model, the scrape sources). The
// real sets are tested with real processes (tst_localreplicaset) and the
// Kubernetes fixture.
class ScriptedReplicaSet : public ReplicaSet
{
public:
    explicit ScriptedReplicaSet(QString kindName = QStringLiteral("local"))
        : m_kind(std::move(kindName))
    {
    }

    QString kind() const override { return m_kind; }
    QList<ReplicaInfo> replicas() const override { return list; }
    int desiredCount() const override { return desired; }
    void scale(int count) override { desired = count; }
    void restart(const QString& id) override { calls << QStringLiteral("restart ") + id; }
    void drain(const QString& id) override { calls << QStringLiteral("drain ") + id; }

    void set(QList<ReplicaInfo> replicas)
    {
        list = std::move(replicas);
        emit replicasChanged();
    }

    QList<ReplicaInfo> list;
    int desired = 0;
    QStringList calls;

private:
    QString m_kind;
};

} // namespace querydeck::test
