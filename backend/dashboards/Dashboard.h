#pragma once

#include <QString>
#include <QStringList>
#include <cmath>
#include <limits>
#include <vector>

namespace querydeck {

enum class PanelType
{
    TimeSeries,
    Stat,
    Gauge,
    Table
};

// A colour step: from `value` upwards the panel shows `color` ("green",
// "amber", "red", "blue", "grey" or "#rrggbb"). The first step's value is
// -inf (the base colour).
struct Threshold
{
    double value = -std::numeric_limits<double>::infinity();
    QString color;
};

struct PanelTarget
{
    QString expr;   // Expression text
    QString legend; // legend template, e.g. "{{route}}"
};

struct PanelDefinition
{
    QString id; // unique in the dashboard
    QString title;
    QString description;
    PanelType type = PanelType::TimeSeries;
    std::vector<PanelTarget> targets;
    QString unit;      // percent, percentunit, bytes, bytes/s, reqpm, reqps, ms, s, short, none
    int decimals = -1; // -1: automatic
    std::vector<Threshold> thresholds;                     // ascending
    double min = std::numeric_limits<double>::quiet_NaN(); // gauge / axis bounds
    double max = std::numeric_limits<double>::quiet_NaN();
    int span = 1; // grid columns taken in its row
};

struct RowDefinition
{
    QString title;
    bool collapsed = false;
    std::vector<PanelDefinition> panels;
};

// A dashboard is data: rows of panels, loaded from JSON (resources/dashboards/).
struct DashboardDefinition
{
    QString uid;
    QString title;
    std::vector<RowDefinition> rows;
};

} // namespace querydeck
