#pragma once

// Private to the HTTP server's .cpp files (see HttpServerImpl.h).

#include "backend/service/HttpServerImpl.h"

#include <array>
#include <memory>

namespace querydeck {

// Refuses an accepted connection: the 503 (Connection: close) is written
// without reading the request, our side is shut down, and what the client
// still sends is discarded for a moment, so the close is a FIN after our
// answer, not a reset that could discard it before the client reads it. At
// most kMaxLingering refusals wait like that; beyond (a flood), the socket is
// closed at once after one non-blocking write.
class ConnectionRefusal : public std::enable_shared_from_this<ConnectionRefusal>
{
public:
    ConnectionRefusal(HttpServerImpl& server, Socket socket);
    ~ConnectionRefusal();

    void start(const QByteArray& response);

private:
    void discard();

    HttpServerImpl& m_server;
    Stream m_stream;
    std::array<char, 512> m_sink{};
};

} // namespace querydeck
