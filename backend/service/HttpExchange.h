#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <initializer_list>
#include <utility>

namespace querydeck {

using HttpHeader = std::pair<QByteArrayView, QByteArrayView>;

// One HTTP request and its response, as seen by a route handler. The server
// reads the head and the body (up to its limit) before the handler runs, so
// nothing here touches a socket: the handler fills in a response, which the
// server then writes. Used by one thread at a time.
class HttpExchange
{
public:
    enum class BodyStatus
    {
        Ok,
        TooLarge,
        ReadError
    };

    // Everything the server learnt from the client, in plain Qt types.
    struct Request
    {
        QByteArray method;
        QByteArray path; // percent-decoded, without the query string
        // Every header as name '\0' value '\0', in the order received: one
        // allocation per request rather than two per header.
        QByteArray fields;
        QByteArray remoteAddress; // "127.0.0.1", "::1"
        bool remoteIsLoopback = false;
        qint64 contentLength = -1; // -1: not given (e.g. chunked transfer encoding)
        QByteArray body;
        // Ok: `body` is the complete body (empty when there was none).
        // TooLarge: over the server's limit and left unread.
        // ReadError: malformed (e.g. a broken chunk) and left unread.
        BodyStatus bodyStatus = BodyStatus::Ok;
        bool keepAlive = true; // what the client asked for (HTTP version, Connection)
    };

    explicit HttpExchange(Request request);

    QByteArrayView method() const { return m_request.method; }
    QByteArrayView path() const { return m_request.path; }
    // The first header of that name (case-insensitive); empty when absent.
    // The view is valid as long as this exchange.
    QByteArrayView header(QByteArrayView name) const;
    // Appends one header to Request::fields, in the layout header() reads.
    static void appendField(QByteArray& fields, QByteArrayView name, QByteArrayView value);
    QByteArray remoteAddress() const { return m_request.remoteAddress; }
    bool remoteIsLoopback() const { return m_request.remoteIsLoopback; }
    // Declared body size; -1 when not given (e.g. chunked transfer encoding).
    qint64 contentLength() const { return m_request.contentLength; }

    // The whole body, refusing more than maxBytes: a body over the server's
    // limit was refused from Content-Length before anything was read, or
    // while reading when the length was unknown.
    BodyStatus readBody(qint64 maxBytes, QByteArray* out);

    // Sets a complete response with Content-Length. Keep-alive ends when
    // `closeConnection` is set, when the client asked for it, or when a
    // request body was left unread (the socket cannot be reused then).
    void respond(int status, QByteArrayView contentType, QByteArrayView body,
                 std::initializer_list<HttpHeader> headers = {}, bool closeConnection = false);

    // Echoed as X-Request-Id on the response.
    void setRequestId(QByteArray id) { m_requestId = std::move(id); }

    bool responded() const { return m_status != 0; }
    int status() const { return m_status; }
    // The bytes to write (head and body) and whether the connection stays open.
    const QByteArray& response() const { return m_response; }
    bool keepAlive() const { return m_keepAlive; }

    // "Not Found" for 404 etc.; "Unknown" for codes without a standard phrase.
    static QByteArrayView reasonPhrase(int status);

private:
    Request m_request;
    QByteArray m_requestId;
    QByteArray m_response;
    int m_status = 0;
    bool m_keepAlive = false;
};

} // namespace querydeck
