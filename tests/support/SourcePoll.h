#pragma once

// One poll of a MetricSource, for tests of the sources that answer
// asynchronously (Redis INFO, Prometheus): the result of its one finished(),
// or a result whose error says what went wrong instead.

#include "backend/sources/MetricSource.h"

#include <QSignalSpy>

namespace querydeck::test {

inline SourceResult pollOnce(MetricSource& source, int timeoutMs = 15000)
{
    QSignalSpy spy(&source, &MetricSource::finished);
    source.poll();
    if (spy.isEmpty() && !spy.wait(timeoutMs))
        return SourceResult{QStringLiteral("none"),
                            0,
                            {},
                            {},
                            0,
                            QStringLiteral("no result within %1 ms").arg(timeoutMs)};
    if (spy.size() != 1)
        return SourceResult{QStringLiteral("none"),
                            0,
                            {},
                            {},
                            0,
                            QStringLiteral("finished() emitted %1 times").arg(spy.size())};
    return spy.first().first().value<SourceResult>();
}

// The value of the first sample named `name` (with labelName=labelValue when
// given); -1 when there is none.
inline double sampleValue(const SourceResult& result, const QString& name,
                          const QString& labelName = {}, const QString& labelValue = {})
{
    for (const Sample& sample : result.samples) {
        if (sample.key.name == name &&
            (labelName.isEmpty() || sample.key.label(labelName) == labelValue))
            return sample.value;
    }
    return -1;
}

} // namespace querydeck::test
