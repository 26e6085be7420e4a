#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace querydeck {

// One HTTP request as FixtureHttpServer received it.
struct FixtureRequest
{
    QByteArray method;
    QByteArray path;  // without the query string
    QByteArray query; // after '?', may be empty
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // Case-insensitive lookup; empty when absent.
    QByteArray header(const QByteArray& name) const;
    // The body as a JSON object; empty when it is not one.
    QJsonObject json() const;
};

} // namespace querydeck
