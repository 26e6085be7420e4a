#pragma once

#include "backend/scaling/ReplicaTraffic.h"

#include <QString>

namespace querydeck {

// The scale report's figures in words: how long the scale took, the traffic
// each replica served while it was verified, and what the change costs.
// Pure; rates at three significant digits, durations in s or min and s.
class ScaleReportText
{
public:
    // "Applied in 42 s (every replica ready), then watched for 30 s."
    static QString duration(bool applyOk, qint64 applyMs, bool verified, qint64 verifyWindowMs);
    // "over the last 30 s:\n1: 3.00 queries/s (50 %)\n2: 3.00 queries/s (50 %)".
    static QString traffic(const QList<ReplicaTraffic>& traffic);
    // "$140 → $280 per month (+$140)"
    static QString cost(int fromReplicas, int toReplicas, double pricePerInstanceMonth);
    static QString elapsed(qint64 ms); // "8.5 s", "42 s", "2 min 5 s"
};

} // namespace querydeck
