#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace querydeck {

// Formats metric values for people: "63.2%", "1.5 MiB", "340 req/min",
// "850 ms" / "1.52 s" / "2.1 min", "1.2k". Units: percent (0-100),
// percentunit (0-1), bytes, bytes/s, reqpm, reqps, ms, s, short, none; an
// unknown unit is appended as a suffix. NaN is "No data". Pure functions,
// callable from any thread.
class UnitFormat
{
public:
    // decimals < 0: automatic (three significant digits, trailing zeros dropped).
    static QString format(double value, const QString& unit, int decimals = -1);

    // Axis tick labels: one common scale (the largest tick's) and the same
    // number of decimals for every tick, enough to tell neighbours apart.
    static QStringList axisLabels(const QList<double>& ticks, const QString& unit);
    static QString axisLabel(double value, const QString& unit, double step);

    // At most maxTicks "nice" tick values covering [min, max] (1-2-5 steps in
    // the unit's scale: binary for bytes). Empty when the range is not finite.
    static QList<double> niceTicks(double min, double max, int maxTicks, const QString& unit);

    static int autoDecimals(double value);
};

} // namespace querydeck
