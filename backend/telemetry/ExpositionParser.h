#pragma once

#include "telemetry/Series.h"

#include <QByteArrayView>
#include <QString>

namespace querydeck {

// Parses the Prometheus text exposition format 0.0.4 (what /metrics serves)
// into samples: HELP/TYPE lines, label escapes (\\ \" \n), histogram and
// summary children (_bucket/_sum/_count keep their own names), NaN/±Inf and
// optional millisecond timestamps (samples without one get nowMs). A
// malformed line is skipped and counted in malformedLines; the first one is
// logged at debug with its line number, the rest of the text still parses.
// When `instance` is given, every sample without an instance label gets
// instance=<instance>. Stateless and thread-safe.
class ExpositionParser
{
public:
    static SourceResult parse(QByteArrayView text, qint64 nowMs, const QString& instance = {});
};

} // namespace querydeck
