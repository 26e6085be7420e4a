#include "ui/fleet/CapacityText.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>
#include <cmath>

namespace querydeck {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("CapacityText", text);
}

// Three significant digits, without an exponent.
QString significant(double value)
{
    if (value == 0)
        return QLocale().toString(0);
    const int digits = int(std::floor(std::log10(std::abs(value)))) + 1;
    if (digits < 3)
        return QLocale().toString(value, 'f', 3 - digits);
    const double scale = std::pow(10.0, digits - 3);
    return QLocale().toString(std::round(value / scale) * scale, 'f', 0);
}

QString servers(const ReplicaCapacity::Bound& b)
{
    if (b.resource == QLatin1String("CPU"))
        return b.servers == 1 ? tr("1 core") : tr("%1 cores").arg(significant(b.servers));
    return QStringLiteral("%1 %2").arg(QLocale().toString(int(b.servers)), b.resource);
}

QString perQuery(const ReplicaCapacity::Bound& b)
{
    if (b.resource == QLatin1String("CPU"))
        return tr("%1 of CPU per query").arg(CapacityText::duration(b.secondsPerQuery));
    if (b.resource == QLatin1String("handler threads"))
        return tr("%1 per query (mean latency)").arg(CapacityText::duration(b.secondsPerQuery));
    return tr("%1 of generation per query").arg(CapacityText::duration(b.secondsPerQuery));
}

QString percent(double share)
{
    return QStringLiteral("%1 %").arg(QLocale().toString(std::round(share * 100), 'f', 0));
}

} // namespace

QString CapacityText::queriesPerSecond(double qps)
{
    return tr("%1 queries/s").arg(significant(qps));
}

QString CapacityText::perDay(double queries)
{
    if (queries >= 1e9)
        return tr("%1 billion").arg(significant(queries / 1e9));
    if (queries >= 1e6)
        return tr("%1 million").arg(significant(queries / 1e6));
    return significant(queries);
}

QString CapacityText::duration(double seconds)
{
    if (seconds < 1.0)
        return tr("%1 ms").arg(significant(seconds * 1000.0));
    return tr("%1 s").arg(significant(seconds));
}

QString CapacityText::method(const ReplicaCapacity& c, double queriesMeasured)
{
    if (!c.saturationQps)
        return tr("Capacity not measured: %1. Cost does not depend on it.").arg(c.unknownReason);
    const ReplicaCapacity::Bound& first = c.bounds.first();
    QString text = tr("One replica saturates at %1, bound by %2: %3 ÷ %4.")
                       .arg(queriesPerSecond(first.queriesPerSecond), first.resource,
                            servers(first), perQuery(first));
    QStringList others;
    for (qsizetype i = 1; i < c.bounds.size(); ++i)
        others << tr("%1 ÷ %2 = %3")
                      .arg(servers(c.bounds[i]), perQuery(c.bounds[i]),
                           queriesPerSecond(c.bounds[i].queriesPerSecond));
    if (!others.isEmpty())
        text += QLatin1Char(' ') + tr("Other limits: %1.").arg(others.join(QStringLiteral("; ")));
    text += QLatin1Char(' ') +
            tr("Measured from the replicas' own counters over the last 5 min (%1 queries, "
               "today's mix of cache hits and misses; CPU time includes idle work, so light "
               "traffic understates capacity). Planned at %2 of saturation: %3 per replica.")
                .arg(QLocale().toString(qint64(std::llround(queriesMeasured))),
                     percent(c.targetUtilisation), queriesPerSecond(*c.plannedQps));
    return text;
}

QString CapacityText::load(const ReplicaCapacity& c)
{
    if (!c.loadQps)
        return tr("Load now: no queries.");
    QString text = tr("Load now: %1 per replica").arg(queriesPerSecond(*c.loadQps));
    if (c.plannedQps && *c.plannedQps > 0)
        text += tr(", %1 of the planned capacity").arg(percent(*c.loadQps / *c.plannedQps));
    return text + tr(" (what the fleet serves, not what it could).");
}

} // namespace querydeck
