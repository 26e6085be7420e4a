#pragma once

#include "backend/common/LoadResult.h"
#include "backend/dashboards/Dashboard.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace querydeck {

// value: what could be read, use only when ok(); errors like
// "rows[1].panels[0].type: must be one of ..., got \"pie\"".
using DashboardLoadResult = LoadResult<DashboardDefinition>;

// Reads a dashboard from JSON and checks everything a panel relies on: types,
// units, threshold order and colours, spans, unique panel ids and that every
// target expression parses. Every problem is reported (not just the first),
// each naming its JSON path, the problem and the offending value. Stateless;
// safe from any thread.
//
// Schema: {"uid","title","rows":[{"title","collapsed","panels":[{"id","title",
// "description","type","targets":[{"expr","legend"}],"unit","decimals",
// "thresholds":[{"value": number|null,"color"}],"min","max","span"}]}]}
class DashboardLoader
{
public:
    static constexpr qint64 MaxFileBytes = 1024 * 1024;

    static DashboardLoadResult loadFile(const QString& path);
    // `source` names the document in messages (a file name); may be empty.
    static DashboardLoadResult loadJson(const QByteArray& json, const QString& source = {});
    // The bundled ":/dashboards/default.json" (a test keeps it valid).
    static DashboardDefinition defaultDashboard();
    // Every bundled dashboard's resource path, the default first.
    static QStringList bundledDashboards();
};

} // namespace querydeck
