#pragma once

#include "backend/redisops/FailoverReport.h"

#include <QString>

namespace querydeck {

// The sentences of the failover report page, from a FailoverReport: what
// the QueryDeck replicas saw (when their caches wrote to the new master, how
// long caching was degraded) first, and the console's own check write named
// as what it is. Figures are seconds since the trigger at the precision they
// were read with (one decimal: the replicas are read every 0.25 s). Pure.
class FailoverReportText
{
public:
    static QString outcome(const FailoverReport& report);
    // "1.2 s after the trigger (http://… at 1.0 s, http://… at 1.2 s)", or why not known.
    static QString writesResumed(const FailoverReport& report);
    // "0.3 s to 1.2 s after the trigger: …", "none seen …", or why not known.
    static QString degraded(const FailoverReport& report);
    static QString checkWrite(const FailoverReport& report);
    // How the replicas were read; empty when they were not.
    static QString method(const FailoverReport& report);
    static QString seconds(qint64 ms); // "1.2 s"
};

} // namespace querydeck
