#include "service/HttpExchange.h"

#include <civetweb.h>
#include <cstring>

namespace querydeck {

HttpExchange::HttpExchange(mg_connection* connection)
    : m_connection(connection)
{
    const mg_request_info* info = mg_get_request_info(connection);
    m_method = QByteArrayView(info->request_method ? info->request_method : "");
    m_path = QByteArrayView(info->local_uri ? info->local_uri : "");
}

QByteArray HttpExchange::header(const char* name) const
{
    const char* value = mg_get_header(m_connection, name);
    return value ? QByteArray(value) : QByteArray();
}

QByteArray HttpExchange::remoteAddress() const
{
    return QByteArray(mg_get_request_info(m_connection)->remote_addr);
}

bool HttpExchange::remoteIsLoopback() const
{
    const char* addr = mg_get_request_info(m_connection)->remote_addr;
    return std::strncmp(addr, "127.", 4) == 0 || std::strcmp(addr, "::1") == 0;
}

qint64 HttpExchange::contentLength() const
{
    return mg_get_request_info(m_connection)->content_length;
}

HttpExchange::BodyStatus HttpExchange::readBody(qint64 maxBytes, QByteArray* out)
{
    out->clear();
    m_bodyRead = true;
    const qint64 declared = contentLength();
    if (declared > maxBytes)
        return BodyStatus::TooLarge;
    if (declared > 0)
        out->reserve(declared);
    char buffer[16 * 1024];
    for (;;) {
        const int n = mg_read(m_connection, buffer, sizeof buffer);
        if (n < 0)
            return BodyStatus::ReadError;
        if (n == 0)
            break;
        if (out->size() + n > maxBytes)
            return BodyStatus::TooLarge;
        out->append(buffer, n);
    }
    if (declared >= 0 && out->size() != declared)
        return BodyStatus::ReadError;
    return BodyStatus::Ok;
}

void HttpExchange::respond(int status, QByteArrayView contentType, QByteArrayView body,
                           std::initializer_list<HttpHeader> headers, bool closeConnection)
{
    if (m_status != 0)
        return; // one response per request
    m_status = status;
    const bool bodyPending =
        !m_bodyRead && (contentLength() > 0 || mg_get_header(m_connection, "Transfer-Encoding"));
    // The same rule as civetweb's own should_keep_alive(), so the header we
    // send matches what civetweb then does with the socket.
    const char* connectionHeader = mg_get_header(m_connection, "Connection");
    const char* version = mg_get_request_info(m_connection)->http_version;
    bool keepAlive = !closeConnection && !bodyPending;
    if (connectionHeader)
        keepAlive = keepAlive && QByteArrayView(connectionHeader).contains("eep-alive");
    else
        keepAlive = keepAlive && version && std::strcmp(version, "1.1") == 0;
    if (!keepAlive)
        mg_disable_keep_alive(m_connection);

    // Head and body in one buffer and one write: with TCP_NODELAY, separate
    // writes would each go out as their own segment.
    QByteArray response;
    response.reserve(256 + body.size());
    response.append("HTTP/1.1 ")
        .append(QByteArray::number(status))
        .append(' ')
        .append(mg_get_response_code_text(m_connection, status))
        .append("\r\nContent-Type: ")
        .append(contentType)
        .append("\r\nContent-Length: ")
        .append(QByteArray::number(body.size()))
        .append("\r\nCache-Control: no-store\r\nConnection: ")
        .append(keepAlive ? "keep-alive" : "close");
    if (!m_requestId.isEmpty())
        response.append("\r\nX-Request-Id: ").append(m_requestId);
    for (const auto& [name, value] : headers)
        response.append("\r\n").append(name).append(": ").append(value);
    response.append("\r\n\r\n");
    if (method() != "HEAD")
        response.append(body);
    mg_write(m_connection, response.constData(), size_t(response.size()));
}

} // namespace querydeck
