#pragma once

#include "backend/fleet/ReplicaSet.h"

#include <QPointer>

namespace querydeck {

// A ReplicaSet that stands on the GUI thread for one that runs on another
// thread (the console's control thread, where QProcess children, nginx and
// network replies are handled). It holds the latest snapshot of the remote
// set's replicas and desired count and re-emits its signals, all delivered
// through queued signals; scale(), restart() and drain() are forwarded with
// queued calls. Widgets and models use it like any ReplicaSet and never touch
// the remote one.
//
// Thread rules: the mirror and every call on it stay on the thread that
// created it; nothing here waits. Signals from the remote set arrive queued,
// in the order the set emitted them (a snapshot before the scaleFinished that
// follows it). The owner keeps the remote set alive while the mirror may
// forward to it: detach() (or delete the mirror) before the set goes.
class ReplicaSetMirror : public ReplicaSet
{
    Q_OBJECT

public:
    explicit ReplicaSetMirror(ReplicaSet* remote, QObject* parent = nullptr);

    QString kind() const override { return m_kind; }
    QList<ReplicaInfo> replicas() const override { return m_replicas; }
    int desiredCount() const override { return m_desired; }

    void scale(int count) override;
    void restart(const QString& id) override;
    void drain(const QString& id) override;

    // Stops forwarding commands: the remote set is about to be deleted.
    void detach() { m_remote = nullptr; }
    ReplicaSet* remote() const { return m_remote; }

private:
    void applySnapshot(const QList<querydeck::ReplicaInfo>& replicas, int desired);

    ReplicaSet* m_remote;
    QString m_kind;
    QList<ReplicaInfo> m_replicas;
    int m_desired = 0;
};

// Part of ReplicaSetMirror: lives on the remote set's thread and is deleted
// with the set. It reads the set where the set lives, on every
// replicasChanged(), and sends the copy on.
class ReplicaSetFeed : public QObject
{
    Q_OBJECT

public:
    explicit ReplicaSetFeed(ReplicaSet* set);
    void publish();

signals:
    void snapshot(const QList<querydeck::ReplicaInfo>& replicas, int desired);

private:
    ReplicaSet* m_set;
};

} // namespace querydeck
