#include "ui/redis/FailoverReportText.h"

#include <QCoreApplication>
#include <QStringList>

namespace querydeck {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("FailoverReportText", text);
}

} // namespace

QString FailoverReportText::seconds(qint64 ms)
{
    return tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
}

QString FailoverReportText::outcome(const FailoverReport& r)
{
    if (!r.ok)
        return tr("Failover not verified: %1").arg(r.error);
    QString text = tr("Failover done: %1 → %2. A replica was promoted %3 after the trigger.")
                       .arg(r.oldMaster, r.newMaster, seconds(r.promotedMs));
    if (r.writesResumedMs >= 0)
        text += QLatin1Char(' ') + tr("The QueryDeck replicas' caches used the new master "
                                      "from %1 after the trigger.")
                                       .arg(seconds(r.writesResumedMs));
    return text;
}

QString FailoverReportText::writesResumed(const FailoverReport& r)
{
    if (r.replicaWrites.isEmpty())
        return r.writesDetail;
    QStringList each;
    for (const FailoverReport::ReplicaWrites& w : r.replicaWrites)
        each << (w.resumedMs >= 0 && w.master == r.newMaster
                     ? tr("%1 at %2").arg(w.url, seconds(w.resumedMs))
                     : tr("%1 not seen on it").arg(w.url));
    if (r.writesResumedMs < 0)
        return tr("not all seen on the new master: %1").arg(r.writesDetail);
    return tr("%1 after the trigger (%2)")
        .arg(seconds(r.writesResumedMs), each.join(QStringLiteral(", ")));
}

QString FailoverReportText::degraded(const FailoverReport& r)
{
    if (r.replicaWrites.isEmpty())
        return r.writesDetail;
    const QString fallbacks =
        r.cacheFallbacks < 0 ? tr("fallbacks to replica memory not read")
        : r.cacheFallbacks == 1
            ? tr("1 cache operation answered from replica memory")
            : tr("%1 cache operations answered from replica memory").arg(r.cacheFallbacks);
    if (r.degradedFromMs < 0)
        return tr("none seen: the replicas' caches kept a reachable master (%1)").arg(fallbacks);
    QString text = tr("%1 to %2 after the trigger: %3")
                       .arg(seconds(r.degradedFromMs), seconds(r.degradedToMs), fallbacks);
    if (r.promotedMs >= 0 && r.writesResumedMs > r.promotedMs)
        text += tr("; from the promotion until a replica moved, its cache writes went to the old "
                   "master, which drops them when it follows the new one");
    return text;
}

QString FailoverReportText::method(const FailoverReport& r)
{
    if (r.replicaWrites.isEmpty() || r.writesIntervalMs <= 0)
        return {};
    return tr("Read from each QueryDeck replica every %1 s from the trigger: the Redis master "
              "its cache uses (/v1/info) and its cache fallbacks (/metrics); each time is when "
              "the answer came back, late by at most one read.")
        .arg(double(r.writesIntervalMs) / 1000.0);
}

QString FailoverReportText::checkWrite(const FailoverReport& r)
{
    if (r.durationMs < 0)
        return tr("not made");
    return tr("%1 after the trigger (the console's own test, made once the old master "
              "followed; not when the service could write)")
        .arg(seconds(r.durationMs));
}

} // namespace querydeck
