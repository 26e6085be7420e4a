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
    if (closeConnection || bodyPending)
        mg_disable_keep_alive(m_connection);
    mg_response_header_start(m_connection, status);
    mg_response_header_add(m_connection, "Content-Type", contentType.data(),
                           int(contentType.size()));
    const QByteArray length = QByteArray::number(body.size());
    mg_response_header_add(m_connection, "Content-Length", length.constData(), int(length.size()));
    mg_response_header_add(m_connection, "Cache-Control", "no-store", -1);
    if (!m_requestId.isEmpty())
        mg_response_header_add(m_connection, "X-Request-Id", m_requestId.constData(),
                               int(m_requestId.size()));
    for (const auto& [name, value] : headers) {
        const QByteArray terminatedName = name.toByteArray();
        mg_response_header_add(m_connection, terminatedName.constData(), value.data(),
                               int(value.size()));
    }
    mg_response_header_send(m_connection);
    if (!body.isEmpty() && method() != "HEAD")
        mg_write(m_connection, body.data(), size_t(body.size()));
}

} // namespace querydeck
