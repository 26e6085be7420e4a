#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace querydeck {

// One line of a failover's timeline.
struct FailoverEvent
{
    qint64 atMs = 0; // since the trigger (negative: before it)
    QString text;
};

// What a failover did and what was read back from the servers afterwards;
// filled by FailoverController, FailoverVerifier and ServiceWriteWatch,
// shown by the wizard. Times are ms since the trigger; -1: not seen.
struct FailoverReport
{
    // One QueryDeck replica's cache through the failover, as its own
    // /v1/info and /metrics said, read every ServiceWriteWatch interval.
    struct ReplicaWrites
    {
        QString url;
        QString master;        // the master its cache used at the last read
        qint64 lastOldMs = -1; // last read that still named the old master
        qint64 resumedMs = -1; // first read that named `master`, the new one
        // Reads in which its cache fell back to memory or said it was degraded:
        // from the read before the first such one to the last such one.
        qint64 degradedFromMs = -1;
        qint64 degradedToMs = -1;
        qint64 fallbacks = 0; // cache operations answered from memory meanwhile
        QString error;        // empty: read throughout
    };

    bool ok = false;
    QString oldMaster;
    QString newMaster;
    qint64 promotedMs = -1; // trigger until a replica first reported role master
    // Trigger until the console's own probe write was accepted; it runs once
    // the old master follows, so it is no measure of the outage.
    qint64 durationMs = -1;
    // Every QueryDeck replica's cache on the new master: the last of their
    // resumedMs; -1 when not all of them were seen there (writesDetail says why).
    qint64 writesResumedMs = -1;
    qint64 degradedFromMs = -1; // the union of the replicas' degraded reads
    qint64 degradedToMs = -1;
    qint64 cacheFallbacks = -1; // summed over the replicas; -1 not measured
    int writesIntervalMs = 0;   // how often the replicas were read
    QString writesDetail;       // how the above was measured, or why it was not
    QList<ReplicaWrites> replicaWrites;
    qint64 windowMs = -1; // trigger until verified (QueryDeck replicas included)
    // 5xx answers to /v1/query on the QueryDeck replicas during the
    // window; -1 when not measured (no replica given, or unreadable).
    qint64 failedRequests = -1;
    QString failedRequestsDetail; // how it was measured, or why it was not
    QList<FailoverEvent> timeline;
    QStringList verified; // what was read back from the servers
    QString error;
};

} // namespace querydeck
