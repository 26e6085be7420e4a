#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <initializer_list>
#include <utility>

struct mg_connection;

namespace querydeck {

using HttpHeader = std::pair<QByteArrayView, QByteArrayView>;

// One HTTP request and its response, as seen by a route handler. Wraps a
// civetweb connection so that civetweb types stay out of every other header.
// Lives on one civetweb worker thread for the duration of one request.
class HttpExchange
{
public:
    enum class BodyStatus
    {
        Ok,
        TooLarge,
        ReadError
    };

    explicit HttpExchange(mg_connection* connection);

    QByteArrayView method() const { return m_method; }
    QByteArrayView path() const { return m_path; }
    QByteArray header(const char* name) const;
    QByteArray remoteAddress() const;
    bool remoteIsLoopback() const;
    // Declared body size; -1 when not given (e.g. chunked transfer encoding).
    qint64 contentLength() const;

    // Reads the whole body, refusing more than maxBytes: from Content-Length
    // before reading anything, and while reading when the length is unknown.
    BodyStatus readBody(qint64 maxBytes, QByteArray* out);

    // Sends a complete response with Content-Length. Keep-alive ends when
    // `closeConnection` is set or when a request body was left unread (the
    // socket cannot be reused for the next request then).
    void respond(int status, QByteArrayView contentType, QByteArrayView body,
                 std::initializer_list<HttpHeader> headers = {}, bool closeConnection = false);

    // Echoed as X-Request-Id on the response.
    void setRequestId(QByteArray id) { m_requestId = std::move(id); }

    bool responded() const { return m_status != 0; }
    int status() const { return m_status; }

private:
    mg_connection* m_connection;
    QByteArrayView m_method;
    QByteArrayView m_path;
    QByteArray m_requestId;
    int m_status = 0;
    bool m_bodyRead = false;
};

} // namespace querydeck
