#pragma once

// Private to the HTTP server's .cpp files (see HttpServerImpl.h).

#include "backend/service/HttpExchange.h"
#include "backend/service/HttpServerImpl.h"

#include <array>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <optional>

namespace querydeck {

// One client connection: reads a request (head, then body) with a deadline
// per phase, hands it to a handler thread (or runs it inline), writes the
// response, and waits for the next one. Runs on its I/O thread; only the
// handler pool's hand-back is posted there from another thread.
class HttpConnection : public std::enable_shared_from_this<HttpConnection>
{
public:
    HttpConnection(HttpServerImpl& server, Socket socket, asio::ip::address remote,
                   bool countedPerAddress);
    ~HttpConnection();
    void start();

private:
    const HttpServerOptions& options() const;

    void awaitRequest();
    void readHead();
    void onHead(const error_code& ec);
    void readBody();
    HttpExchange::Request takeRequest(HttpExchange::BodyStatus bodyStatus);

    // False when the inline handler passed the request on.
    static bool runInline(const std::function<bool(HttpExchange&)>& handler,
                          HttpExchange& exchange);
    static void runHandler(const HttpServer::Handler& handler, HttpExchange& exchange);
    void dispatch(HttpExchange::BodyStatus bodyStatus);
    void write(QByteArray response, bool keepAlive);

    // An error answered before the request was fully read: write it, then close.
    void sendAndClose(QByteArray response);

    // Shuts our side down and discards what the client still sends for a
    // moment, so the close is a FIN the client reads after our response, not
    // a reset that may discard it.
    void linger();
    void discard();
    void close();

    HttpServerImpl& m_server;
    Stream m_stream;
    asio::ip::address m_remote;
    // Spelled once per connection: asio formats through an ostringstream,
    // too slow to repeat for every keep-alive request.
    QByteArray m_remoteText;
    const bool m_countedPerAddress;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::empty_body>> m_head;
    std::optional<http::request_parser<http::string_body>> m_body;
    QByteArray m_response;
    std::array<char, 2048> m_sink{};
};

} // namespace querydeck
