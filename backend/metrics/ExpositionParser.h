#pragma once

#include "backend/metrics/Series.h"

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
// instance=<instance>. Input over kMaxTextBytes is refused whole (error set,
// no samples); a sample with more than kMaxLabels labels is a malformed line
// (the duplicate-name check is quadratic in them). Stateless and thread-safe.
class ExpositionParser
{
public:
    // Above every caller's own body cap (scrapes 16 MiB, replica probes 8 MiB).
    static constexpr qsizetype kMaxTextBytes = 64 * 1024 * 1024;
    // Prometheus's own label_limit is off by default; real targets use < 30.
    static constexpr int kMaxLabels = 256;

    static SourceResult parse(QByteArrayView text, qint64 nowMs, const QString& instance = {});
};

} // namespace querydeck
