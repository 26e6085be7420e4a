#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <chrono>

namespace querydeck {

// A scripted reply of FixtureHttpServer. Content-Length (or chunked framing)
// and Connection headers are added by the server.
struct FixtureResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    std::chrono::milliseconds delay{0}; // wait this long before replying
    bool closeWithoutReply = false;     // after `delay`, drop the connection
    bool chunked = false;               // Transfer-Encoding: chunked, several chunks

    static FixtureResponse json(int status, const QJsonObject& body);
    static FixtureResponse text(int status, const QByteArray& body,
                                const QByteArray& contentType = "text/plain");
    static FixtureResponse dropConnection(std::chrono::milliseconds delay = {});
};

} // namespace querydeck
