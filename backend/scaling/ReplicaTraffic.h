#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace querydeck {

// The queries one replica answered in a scale's verification window, as its
// own request counter says (FleetProbe::requestsByInstance); for the scale
// wizard's report.
struct ReplicaTraffic
{
    QString id;
    QString address;
    double requests = 0; // answered in the window
    qint64 windowMs = 0; // the window the count is over (whole seconds)
};

} // namespace querydeck

Q_DECLARE_METATYPE(querydeck::ReplicaTraffic)
