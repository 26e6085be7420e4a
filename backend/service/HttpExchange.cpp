#include "backend/service/HttpExchange.h"

#include <boost/beast/http/status.hpp>
#include <charconv>
#include <cstring>

namespace querydeck {

HttpExchange::HttpExchange(Request request)
    : m_request(std::move(request))
{
}

QByteArrayView HttpExchange::header(QByteArrayView name) const
{
    // Beast refuses NUL in names and values, so '\0' cannot occur inside one.
    // memchr: QByteArrayView::indexOf(char) runs a general substring search.
    const char* at = m_request.fields.constData();
    const char* const end = at + m_request.fields.size();
    while (at < end) {
        const auto* nameEnd = static_cast<const char*>(std::memchr(at, '\0', end - at));
        if (!nameEnd)
            break;
        const auto* valueEnd =
            static_cast<const char*>(std::memchr(nameEnd + 1, '\0', end - nameEnd - 1));
        if (!valueEnd)
            break;
        const QByteArrayView key(at, nameEnd - at);
        if (key.size() == name.size() && key.compare(name, Qt::CaseInsensitive) == 0)
            return QByteArrayView(nameEnd + 1, valueEnd - nameEnd - 1);
        at = valueEnd + 1;
    }
    return {};
}

void HttpExchange::appendField(QByteArray& fields, QByteArrayView name, QByteArrayView value)
{
    fields.append(name).append('\0').append(value).append('\0');
}

HttpExchange::BodyStatus HttpExchange::readBody(qint64 maxBytes, QByteArray* out)
{
    out->clear();
    if (m_request.bodyStatus != BodyStatus::Ok)
        return m_request.bodyStatus;
    if (m_request.contentLength > maxBytes || m_request.body.size() > maxBytes)
        return BodyStatus::TooLarge;
    *out = m_request.body;
    return BodyStatus::Ok;
}

QByteArrayView HttpExchange::reasonPhrase(int status)
{
    const auto phrase = boost::beast::http::obsolete_reason(boost::beast::http::status(status));
    return QByteArrayView(phrase.data(), qsizetype(phrase.size()));
}

void HttpExchange::respond(int status, QByteArrayView contentType, QByteArrayView body,
                           std::initializer_list<HttpHeader> headers, bool closeConnection)
{
    if (m_status != 0)
        return; // one response per request
    m_status = status;
    // A body the server did not read is still on the socket, ahead of any
    // next request: the connection cannot be reused.
    m_keepAlive = !closeConnection && m_request.keepAlive && m_request.bodyStatus == BodyStatus::Ok;

    // Head and body in one buffer and one write: with TCP_NODELAY, separate
    // writes would each go out as their own segment.
    QByteArray& response = m_response;
    response.reserve(256 + body.size());
    char statusText[16];
    char lengthText[24];
    const auto statusEnd = std::to_chars(statusText, statusText + sizeof statusText, status).ptr;
    const auto lengthEnd =
        std::to_chars(lengthText, lengthText + sizeof lengthText, body.size()).ptr;
    response.append("HTTP/1.1 ")
        .append(QByteArrayView(statusText, statusEnd - statusText))
        .append(' ')
        .append(reasonPhrase(status))
        .append("\r\nContent-Type: ")
        .append(contentType)
        .append("\r\nContent-Length: ")
        .append(QByteArrayView(lengthText, lengthEnd - lengthText))
        .append("\r\nCache-Control: no-store\r\nConnection: ")
        .append(m_keepAlive ? "keep-alive" : "close");
    if (!m_requestId.isEmpty())
        response.append("\r\nX-Request-Id: ").append(m_requestId);
    for (const auto& [name, value] : headers)
        response.append("\r\n").append(name).append(": ").append(value);
    response.append("\r\n\r\n");
    if (method() != "HEAD")
        response.append(body);
}

} // namespace querydeck
