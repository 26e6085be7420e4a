#include "ui/fleet/ScaleReportText.h"

#include "ui/fleet/CapacityText.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>
#include <cmath>

namespace querydeck {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ScaleReportText", text);
}

// Dollars like the plans', whatever the locale's currency (as the target page).
QString money(double amount)
{
    return QStringLiteral("$") + QLocale().toString(std::abs(amount), 'f', 0);
}

} // namespace

QString ScaleReportText::elapsed(qint64 ms)
{
    if (ms < 10'000)
        return tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    const qint64 seconds = (ms + 500) / 1000;
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
}

QString ScaleReportText::duration(bool applyOk, qint64 applyMs, bool verified,
                                  qint64 verifyWindowMs)
{
    if (applyMs < 0)
        return tr("not measured");
    if (!applyOk)
        return tr("failed after %1").arg(elapsed(applyMs));
    QString text = tr("applied in %1 (every replica ready)").arg(elapsed(applyMs));
    if (verified)
        text += tr(", then watched for %1").arg(elapsed(verifyWindowMs));
    return text;
}

QString ScaleReportText::traffic(const QList<ReplicaTraffic>& traffic)
{
    const qint64 windowMs = traffic.isEmpty() ? 0 : traffic.first().windowMs;
    if (windowMs <= 0)
        return tr("not measured (the scale was not verified)");
    double total = 0;
    for (const ReplicaTraffic& t : traffic)
        total += t.requests;
    QStringList each;
    for (const ReplicaTraffic& t : traffic) {
        QString line = tr("%1: %2").arg(
            t.id, CapacityText::queriesPerSecond(t.requests * 1000.0 / double(windowMs)));
        if (total > 0)
            line += QStringLiteral(" (%1 %)").arg(
                QLocale().toString(std::round(100.0 * t.requests / total), 'f', 0));
        each << line;
    }
    return tr("over the last %1:").arg(elapsed(windowMs)) + QLatin1Char('\n') +
           each.join(QLatin1Char('\n'));
}

QString ScaleReportText::cost(int fromReplicas, int toReplicas, double pricePerInstanceMonth)
{
    const double before = fromReplicas * pricePerInstanceMonth;
    const double after = toReplicas * pricePerInstanceMonth;
    const double change = after - before;
    return tr("%1 → %2 per month (%3%4)")
        .arg(money(before), money(after),
             change < 0   ? QStringLiteral("−")
             : change > 0 ? QStringLiteral("+")
                          : QString(),
             money(change));
}

} // namespace querydeck
