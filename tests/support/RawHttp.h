#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>

namespace querydeck::test {

// The API error's code in a JSON body {"error":{"code":...}}; empty when the
// body is not such an error.
QByteArray apiErrorCode(const QByteArray& body);

struct RawResponse
{
    int status = 0; // 0: no response (connection refused, reset or timeout)
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray error;

    QByteArray header(QByteArrayView name) const;
    QByteArray errorCode() const { return apiErrorCode(body); }
};

// A deliberately dumb HTTP/1.1 client over a blocking QTcpSocket, so tests can
// send exactly the bytes they mean — malformed, oversized or chunked — and
// read what the server really answered. Usable from any thread.
class RawHttp
{
public:
    // Sends `request` verbatim and reads one response (Content-Length or close).
    static RawResponse exchange(quint16 port, const QByteArray& request, int timeoutMs = 10000);
    // The same from the local address `from` (all of 127.0.0.0/8 is loopback
    // on Linux), so one test can be several clients with their own addresses.
    static RawResponse exchangeFrom(const QHostAddress& from, quint16 port,
                                    const QByteArray& request, int timeoutMs = 10000);

    // Builds a request with Host, Content-Length and Connection: close.
    static QByteArray build(QByteArrayView method, QByteArrayView path, const QByteArray& body = {},
                            const QList<QPair<QByteArray, QByteArray>>& headers = {});

    static RawResponse get(quint16 port, QByteArrayView path);
    static RawResponse postJson(quint16 port, QByteArrayView path, const QByteArray& body,
                                const QList<QPair<QByteArray, QByteArray>>& headers = {});
};

} // namespace querydeck::test
