#include "backend/sources/MetricSource.h"

namespace querydeck {

QString MetricSource::rangeQuery(const Expression&) const
{
    return {};
}

int MetricSource::queryRange(const QString& query, qint64, qint64, int)
{
    // Callers ask rangeQuery() first; a stray call still gets its one answer.
    const int requestId = 0;
    RangeResult result;
    result.error = QStringLiteral("%1 keeps no history: cannot run \"%2\"").arg(id(), query);
    QMetaObject::invokeMethod(
        this, [this, requestId, result] { emit rangeFinished(requestId, result); },
        Qt::QueuedConnection);
    return requestId;
}

} // namespace querydeck
