#include "RawHttp.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

namespace querydeck::test {

QByteArray RawResponse::header(QByteArrayView name) const
{
    for (const auto& [key, value] : headers)
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

QByteArray apiErrorCode(const QByteArray& body)
{
    return QJsonDocument::fromJson(body)
        .object()
        .value(QLatin1String("error"))
        .toObject()
        .value(QLatin1String("code"))
        .toString()
        .toUtf8();
}

QByteArray RawHttp::build(QByteArrayView method, QByteArrayView path, const QByteArray& body,
                          const QList<QPair<QByteArray, QByteArray>>& headers)
{
    QByteArray request = method.toByteArray() + ' ' + path.toByteArray() + " HTTP/1.1\r\n";
    request += "Host: 127.0.0.1\r\nConnection: close\r\n";
    for (const auto& [name, value] : headers)
        request += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST")
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    return request;
}

RawResponse RawHttp::exchange(quint16 port, const QByteArray& request, int timeoutMs)
{
    return exchangeFrom(QHostAddress(), port, request, timeoutMs);
}

RawResponse RawHttp::exchangeFrom(const QHostAddress& from, quint16 port, const QByteArray& request,
                                  int timeoutMs)
{
    RawResponse response;
    QTcpSocket socket;
    if (!from.isNull() && !socket.bind(from)) {
        response.error = "bind " + from.toString().toUtf8() + ": " + socket.errorString().toUtf8();
        return response;
    }
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(timeoutMs)) {
        response.error = "connect: " + socket.errorString().toUtf8();
        return response;
    }
    socket.write(request);
    socket.waitForBytesWritten(timeoutMs);

    QByteArray data;
    QElapsedTimer timer;
    timer.start();
    qsizetype headerEnd = -1;
    qint64 contentLength = -1;
    for (;;) {
        if (headerEnd < 0) {
            headerEnd = data.indexOf("\r\n\r\n");
            if (headerEnd >= 0) {
                const QList<QByteArray> lines = data.left(headerEnd).split('\n');
                const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
                response.status = statusLine.value(1).toInt();
                for (qsizetype i = 1; i < lines.size(); ++i) {
                    const qsizetype colon = lines[i].indexOf(':');
                    if (colon > 0)
                        response.headers.append(
                            {lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
                }
                bool ok = false;
                contentLength = response.header("Content-Length").toLongLong(&ok);
                if (!ok)
                    contentLength = -1;
            }
        }
        if (headerEnd >= 0 && contentLength >= 0 && data.size() - headerEnd - 4 >= contentLength)
            break;
        const int left = timeoutMs - int(timer.elapsed());
        if (left <= 0) {
            response.error = "timeout";
            break;
        }
        if (!socket.waitForReadyRead(left)) {
            if (socket.state() != QAbstractSocket::ConnectedState || socket.bytesAvailable() == 0) {
                data += socket.readAll();
                if (socket.state() != QAbstractSocket::ConnectedState)
                    break;
            }
        }
        data += socket.readAll();
    }
    if (headerEnd >= 0)
        response.body = data.mid(headerEnd + 4, contentLength >= 0 ? contentLength : -1);
    else if (response.error.isEmpty())
        response.error = "no response: " + socket.errorString().toUtf8();
    return response;
}

RawResponse RawHttp::get(quint16 port, QByteArrayView path)
{
    return exchange(port, build("GET", path));
}

RawResponse RawHttp::postJson(quint16 port, QByteArrayView path, const QByteArray& body,
                              const QList<QPair<QByteArray, QByteArray>>& headers)
{
    auto all = headers;
    all.prepend({"Content-Type", "application/json"});
    return exchange(port, build("POST", path, body, all));
}

} // namespace querydeck::test
