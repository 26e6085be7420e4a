#include "backend/service/ConnectionRefusal.h"

#include <boost/asio/write.hpp>

namespace querydeck {

ConnectionRefusal::ConnectionRefusal(HttpServerImpl& server, Socket socket)
    : m_server(server)
    , m_stream(std::move(socket))
{
    m_server.m_lingering.fetch_add(1, std::memory_order_relaxed);
}

ConnectionRefusal::~ConnectionRefusal()
{
    m_server.m_lingering.fetch_sub(1, std::memory_order_relaxed);
}

void ConnectionRefusal::start(const QByteArray& response)
{
    m_stream.expires_after(kLingerTimeout);
    asio::async_write(m_stream, asio::buffer(response.constData(), std::size_t(response.size())),
                      [self = shared_from_this()](error_code ec, std::size_t) {
                          if (ec)
                              return;
                          error_code ignored;
                          self->m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                          self->discard();
                      });
}

void ConnectionRefusal::discard()
{
    m_stream.async_read_some(asio::buffer(m_sink),
                             [self = shared_from_this()](error_code ec, std::size_t) {
                                 if (!ec)
                                     self->discard();
                             });
}
} // namespace querydeck
