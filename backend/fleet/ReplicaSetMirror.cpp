#include "backend/fleet/ReplicaSetMirror.h"

#include <QThread>

namespace querydeck {

ReplicaSetFeed::ReplicaSetFeed(ReplicaSet* set)
    : m_set(set)
{
    // Direct: the set is read where it emits, on its own thread, whatever
    // thread the feed belongs to at that moment.
    connect(set, &ReplicaSet::replicasChanged, this, &ReplicaSetFeed::publish,
            Qt::DirectConnection);
    // A failed scale can put the desired count back without a replica change.
    connect(set, &ReplicaSet::scaleFinished, this, &ReplicaSetFeed::publish, Qt::DirectConnection);
    connect(
        set, &QObject::destroyed, this, [this] { delete this; }, Qt::DirectConnection);
}

void ReplicaSetFeed::publish()
{
    emit snapshot(m_set->replicas(), m_set->desiredCount());
}

ReplicaSetMirror::ReplicaSetMirror(ReplicaSet* remote, QObject* parent)
    : ReplicaSet(parent)
    , m_remote(remote)
    , m_kind(remote->kind())
{
    // The feed connects to the set first, so a snapshot is always queued
    // before the scaleFinished() forwarded below.
    auto* feed = new ReplicaSetFeed(remote);
    connect(feed, &ReplicaSetFeed::snapshot, this, &ReplicaSetMirror::applySnapshot);
    connect(remote, &ReplicaSet::event, this, &ReplicaSet::event);
    connect(remote, &ReplicaSet::scaleFinished, this, &ReplicaSet::scaleFinished);
    if (remote->thread() != feed->thread())
        feed->moveToThread(remote->thread());                  // deleted there, with the set
    QMetaObject::invokeMethod(feed, &ReplicaSetFeed::publish); // the first snapshot
}

void ReplicaSetMirror::applySnapshot(const QList<ReplicaInfo>& replicas, int desired)
{
    m_replicas = replicas;
    m_desired = desired;
    emit replicasChanged();
}

void ReplicaSetMirror::scale(int count)
{
    if (!m_remote) {
        emit scaleFinished(false, QStringLiteral("the replica set is shutting down"));
        return;
    }
    ReplicaSet* remote = m_remote;
    QMetaObject::invokeMethod(remote, [remote, count] { remote->scale(count); });
}

void ReplicaSetMirror::restart(const QString& id)
{
    if (ReplicaSet* remote = m_remote)
        QMetaObject::invokeMethod(remote, [remote, id] { remote->restart(id); });
}

void ReplicaSetMirror::drain(const QString& id)
{
    if (ReplicaSet* remote = m_remote)
        QMetaObject::invokeMethod(remote, [remote, id] { remote->drain(id); });
}

} // namespace querydeck
