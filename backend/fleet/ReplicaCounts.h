#pragma once

#include "backend/fleet/ReplicaSet.h"

namespace querydeck {

// How many of a set's replicas serve now, are on their way, or have failed:
// what scaling decisions reason from. A failed replica (crashed, waiting to
// be restarted or given up on; a Failed pod) is not capacity, though the set
// still counts it in its desired number. Plain value; any thread.
struct ReplicaCounts
{
    int desired = 0;  // the set's desired count
    int ready = 0;    // serving
    int starting = 0; // on their way: capacity soon, so a scale-up is not repeated
    int failed = 0;

    static ReplicaCounts of(const QList<ReplicaInfo>& replicas, int desired);
    static ReplicaCounts of(const ReplicaSet& set)
    {
        return of(set.replicas(), set.desiredCount());
    }

    // Replicas of the desired count that serve or will: ready + starting, at
    // most desired (a Kubernetes Deployment may list a failed pod beside its
    // replacement).
    int working() const;
    // "2 replicas", or "3 replicas: 1 ready, 1 starting, 1 failed".
    QString describe() const;

    friend bool operator==(const ReplicaCounts&, const ReplicaCounts&) = default;
};

} // namespace querydeck
