#include "backend/service/HttpConnection.h"

#include "backend/service/ApiError.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <limits>
#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The target's path, percent-decoded, without the query string (what
// civetweb gave as local_uri). Malformed escapes are kept as they are.
QByteArray decodedPath(beast::string_view target)
{
    const auto end = std::find(target.begin(), target.end(), '?');
    // Decoding only shortens: written in place into the longest it can be.
    QByteArray path(end - target.begin(), Qt::Uninitialized);
    char* out = path.data();
    for (auto it = target.begin(); it != end; ++it) {
        if (*it == '%' && end - it > 2) {
            const int high = hexValue(it[1]);
            const int low = hexValue(it[2]);
            if (high >= 0 && low >= 0) {
                *out++ = char(high * 16 + low);
                it += 2;
                continue;
            }
        }
        *out++ = *it;
    }
    path.truncate(out - path.constData());
    return path;
}

QByteArray toBytes(beast::string_view s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

QByteArrayView toView(beast::string_view s)
{
    return QByteArrayView(s.data(), qsizetype(s.size()));
}

bool isParseError(const error_code& ec)
{
    return &ec.category() == &http::make_error_code(http::error::bad_method).category() &&
           ec != http::error::end_of_stream && ec != http::error::partial_message;
}

} // namespace

HttpConnection::HttpConnection(HttpServerImpl& server, Socket socket, asio::ip::address remote,
                               bool countedPerAddress)
    : m_server(server)
    , m_stream(std::move(socket))
    , m_remote(remote)
    , m_remoteText(QByteArray::fromStdString(remote.to_string()))
    , m_countedPerAddress(countedPerAddress)
{
}

HttpConnection::~HttpConnection()
{
    m_server.release(m_remote, m_countedPerAddress);
}

void HttpConnection::start()
{
    asio::post(m_stream.get_executor(), [self = shared_from_this()] { self->readHead(); });
}

const HttpServerOptions& HttpConnection::options() const
{
    return m_server.m_options;
}

void HttpConnection::awaitRequest()
{
    if (m_buffer.size() > 0) { // pipelined: the next head is already here
        readHead();
        return;
    }
    m_buffer.shrink_to_fit(); // an idle connection holds no buffer memory
    // Wait for the first byte of the next request up to the keep-alive
    // timeout; from then on the head has its own deadline.
    m_stream.expires_after(milliseconds(options().keepAliveTimeoutMs));
    m_stream.async_read_some(
        m_buffer.prepare(1024), [self = shared_from_this()](error_code ec, std::size_t n) {
            if (ec) {
                if (ec == beast::error::timeout)
                    self->m_server.m_timedOutIdle.fetch_add(1, std::memory_order_relaxed);
                return self->close();
            }
            self->m_buffer.commit(n);
            self->readHead();
        });
}

void HttpConnection::readHead()
{
    if (m_server.m_stopping.load(std::memory_order_relaxed))
        return close();
    m_head.emplace();
    m_head->header_limit(kHeaderLimit);
    // The Content-Length is checked in onHead(). Not boost::none: Beast 1.74
    // compares the length with the optional itself, and none loses.
    m_head->body_limit(std::numeric_limits<std::uint64_t>::max());
    m_stream.expires_after(milliseconds(options().headerTimeoutMs));
    http::async_read_header(
        m_stream, m_buffer, *m_head,
        [self = shared_from_this()](error_code ec, std::size_t) { self->onHead(ec); });
}

void HttpConnection::onHead(const error_code& ec)
{
    if (ec == beast::error::timeout) {
        m_server.m_timedOutHeader.fetch_add(1, std::memory_order_relaxed);
        return close();
    }
    if (ec == http::error::header_limit) {
        ApiError error = ApiError::badRequest(
            QStringLiteral("the request head is larger than %1 bytes").arg(kHeaderLimit));
        error.status = 431;
        return sendAndClose(errorResponse(error));
    }
    if (isParseError(ec))
        return sendAndClose(
            errorResponse(ApiError::badRequest(QStringLiteral("malformed HTTP request: %1")
                                                   .arg(QString::fromStdString(ec.message())))));
    if (ec)
        return close(); // closed by the client, reset, or shut down

    const auto length = m_head->content_length();
    if (m_head->is_done())
        return dispatch(HttpExchange::BodyStatus::Ok);
    if (length && *length > std::uint64_t(options().maxBodyBytes))
        return dispatch(HttpExchange::BodyStatus::TooLarge); // not read
    m_body.emplace(std::move(*m_head));
    m_head.reset();
    m_body->body_limit(std::uint64_t(options().maxBodyBytes));
    if (beast::iequals(m_body->get()[http::field::expect], "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        m_stream.expires_after(milliseconds(options().requestTimeoutMs));
        asio::async_write(m_stream, asio::buffer(kContinue.data(), kContinue.size()),
                          [self = shared_from_this()](error_code ec, std::size_t) {
                              if (ec)
                                  return self->close();
                              self->readBody();
                          });
        return;
    }
    readBody();
}

void HttpConnection::readBody()
{
    m_stream.expires_after(milliseconds(options().bodyTimeoutMs));
    http::async_read(m_stream, m_buffer, *m_body,
                     [self = shared_from_this()](error_code ec, std::size_t) {
                         if (ec == beast::error::timeout) {
                             self->m_server.m_timedOutBody.fetch_add(1, std::memory_order_relaxed);
                             return self->close();
                         }
                         if (ec == http::error::body_limit)
                             return self->dispatch(HttpExchange::BodyStatus::TooLarge);
                         if (isParseError(ec))
                             return self->dispatch(HttpExchange::BodyStatus::ReadError);
                         if (ec)
                             return self->close();
                         self->dispatch(HttpExchange::BodyStatus::Ok);
                     });
}

HttpExchange::Request HttpConnection::takeRequest(HttpExchange::BodyStatus bodyStatus)
{
    HttpExchange::Request r;
    const auto fill = [&](auto& parser) {
        const auto& message = parser.get();
        r.method = toBytes(message.method_string());
        r.path = decodedPath(message.target());
        qsizetype bytes = 0;
        for (const auto& field : message)
            bytes += qsizetype(field.name_string().size() + field.value().size()) + 2;
        r.fields.reserve(bytes);
        for (const auto& field : message)
            HttpExchange::appendField(r.fields, toView(field.name_string()), toView(field.value()));
        r.keepAlive = message.keep_alive();
        const auto length = parser.content_length();
        r.contentLength = length ? qint64(*length) : -1;
    };
    if (m_body) {
        fill(*m_body);
        if (bodyStatus == HttpExchange::BodyStatus::Ok)
            r.body = QByteArray::fromStdString(m_body->get().body());
    } else {
        fill(*m_head);
    }
    m_head.reset();
    m_body.reset();
    r.remoteAddress = m_remoteText;
    r.remoteIsLoopback = m_remote.is_loopback();
    r.bodyStatus = bodyStatus;
    return r;
}

bool HttpConnection::runInline(const std::function<bool(HttpExchange&)>& handler,
                               HttpExchange& exchange)
{
    try {
        if (handler(exchange))
            return true;
    } catch (const std::exception& e) {
        spdlog::error("[http] inline handler threw: {}", e.what());
    }
    return exchange.responded();
}

void HttpConnection::runHandler(const HttpServer::Handler& handler, HttpExchange& exchange)
{
    try {
        handler(exchange);
    } catch (const std::exception& e) {
        spdlog::error("[http] handler threw: {}", e.what());
    }
    if (!exchange.responded())
        exchange.respond(
            500, "application/json",
            R"({"error":{"code":"internal","message":"the request could not be handled"}})");
}

void HttpConnection::dispatch(HttpExchange::BodyStatus bodyStatus)
{
    HttpExchange exchange(takeRequest(bodyStatus));
    m_stream.expires_never(); // the handler may take long; the write has its own deadline
    m_server.responseStarted();
    if (options().inlineHandler && runInline(options().inlineHandler, exchange))
        return write(exchange.response(), exchange.keepAlive());
    const bool queued =
        m_server.m_pool.post([self = shared_from_this(), exchange = std::move(exchange)]() mutable {
            runHandler(self->m_server.m_handler, exchange);
            asio::post(self->m_stream.get_executor(),
                       [self, response = exchange.response(), keepAlive = exchange.keepAlive()] {
                           self->write(response, keepAlive);
                       });
        });
    if (!queued) { // stopping
        m_server.responseFinished();
        close();
    }
}

void HttpConnection::write(QByteArray response, bool keepAlive)
{
    m_response = std::move(response);
    m_stream.expires_after(milliseconds(options().requestTimeoutMs));
    asio::async_write(
        m_stream, asio::buffer(m_response.constData(), std::size_t(m_response.size())),
        [self = shared_from_this(), keepAlive](error_code ec, std::size_t) {
            self->m_server.responseFinished();
            self->m_response.clear();
            if (ec) {
                if (ec == beast::error::timeout)
                    self->m_server.m_timedOutWrite.fetch_add(1, std::memory_order_relaxed);
                return self->close();
            }
            if (keepAlive && !self->m_server.m_stopping.load(std::memory_order_relaxed))
                return self->awaitRequest();
            self->linger();
        });
}

void HttpConnection::sendAndClose(QByteArray response)
{
    m_server.responseStarted();
    write(std::move(response), false);
}

void HttpConnection::linger()
{
    error_code ignored;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    m_stream.expires_after(kLingerTimeout);
    discard();
}

void HttpConnection::discard()
{
    m_stream.async_read_some(asio::buffer(m_sink),
                             [self = shared_from_this()](error_code ec, std::size_t) {
                                 if (ec)
                                     return self->close();
                                 self->discard();
                             });
}

void HttpConnection::close()
{
    error_code ignored;
    m_stream.socket().close(ignored);
}
} // namespace querydeck
