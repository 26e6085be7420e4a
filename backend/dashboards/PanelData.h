#pragma once

#include "backend/dashboards/Dashboard.h"
#include "backend/metrics/Series.h"

#include <QList>
#include <QMetaType>

namespace querydeck {

// What a panel asks the telemetry engine to compute on every refresh.
struct PanelQuery
{
    QString panelId;
    std::vector<PanelTarget> targets;
    int widthPixels = 0; // drawn width; sizes the step of history queries (0: unknown)
};

// What the engine sends back: every target's series over the current range,
// already reduced to the panel's point budget.
struct PanelData
{
    QString panelId;
    qint64 from = 0;
    qint64 to = 0;
    std::vector<EvaluatedSeries> series;
    QString error; // an expression that failed, named
};

enum class SourceHealth
{
    Ok,
    Stale,
    Error
};

struct SourceStatus
{
    QString id;
    QString description;
    SourceHealth health = SourceHealth::Stale;
    QString lastError;
    qint64 lastSuccessMs = 0;
    int malformedLines = 0;
};

} // namespace querydeck

Q_DECLARE_METATYPE(querydeck::PanelData)
Q_DECLARE_METATYPE(QList<querydeck::PanelData>)
Q_DECLARE_METATYPE(querydeck::SourceStatus)
Q_DECLARE_METATYPE(QList<querydeck::SourceStatus>)
