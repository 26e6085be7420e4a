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
// filled by FailoverController and FailoverVerifier, shown by the wizard.
struct FailoverReport
{
    bool ok = false;
    QString oldMaster;
    QString newMaster;
    qint64 promotedMs = -1; // trigger until a replica first reported role master
    qint64 durationMs = -1; // trigger until the new master accepted the probe write
    qint64 windowMs = -1;   // trigger until verified (QueryDeck replicas included)
    // 5xx answers to /v1/query on the QueryDeck replicas during the
    // window; -1 when not measured (no replica given, or unreadable).
    qint64 failedRequests = -1;
    QString failedRequestsDetail; // how it was measured, or why it was not
    QList<FailoverEvent> timeline;
    QStringList verified; // what was read back from the servers
    QString error;
};

} // namespace querydeck
