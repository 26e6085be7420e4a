#include "service/HttpServer.h"

#include "service/ApiError.h"
#include "service/HandlerPool.h"
#include "service/HttpExchange.h"
#include "service/SizedThread.h"

#include <QHostAddress>
#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <condition_variable>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <thread>
#include <vector>

namespace querydeck {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using std::chrono::milliseconds;

namespace {

// Request line and headers; a larger head gets 431.
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// After a response with Connection: close, the body the client may still be
// sending is read and discarded this long, so that closing with unread data
// does not reset the connection before the client has read our answer.
constexpr milliseconds kLingerTimeout{500};
// Refused connections that may linger at once (each holds a socket for up
// to kLingerTimeout); a flood beyond gets a bare close.
constexpr int kMaxLingering = 256;
// How long accept() waits after running out of file descriptors.
constexpr milliseconds kAcceptRetry{50};

QByteArray errorResponse(const ApiError& error)
{
    const QByteArray body = error.body();
    QByteArray response =
        "HTTP/1.1 " + QByteArray::number(error.status) + ' ' +
        HttpExchange::reasonPhrase(error.status).toByteArray() +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\nCache-Control: no-store\r\nConnection: close\r\n";
    if (error.retryAfterSeconds > 0)
        response += "Retry-After: " + QByteArray::number(error.retryAfterSeconds) + "\r\n";
    return response + "\r\n" + body;
}

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
    QByteArray path;
    path.reserve(end - target.begin());
    for (auto it = target.begin(); it != end; ++it) {
        if (*it == '%' && end - it > 2) {
            const int high = hexValue(it[1]);
            const int low = hexValue(it[2]);
            if (high >= 0 && low >= 0) {
                path.append(char(high * 16 + low));
                it += 2;
                continue;
            }
        }
        path.append(*it);
    }
    return path;
}

QByteArray toBytes(beast::string_view s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

bool isParseError(const error_code& ec)
{
    return &ec.category() == &http::make_error_code(http::error::bad_method).category() &&
           ec != http::error::end_of_stream && ec != http::error::partial_message;
}

// One spelling per client, the one civetweb gave: IPv4-mapped IPv6 as IPv4,
// no IPv6 scope id.
asio::ip::address plainAddress(const asio::ip::address& address)
{
    if (!address.is_v6())
        return address;
    asio::ip::address_v6 v6 = address.to_v6();
    if (v6.is_v4_mapped())
        return asio::ip::make_address_v4(asio::ip::v4_mapped, v6);
    v6.scope_id(0); // "fe80::1", never "fe80::1%eth0": as civetweb reported it
    return v6;
}

} // namespace

// Everything that exists while the server runs. Connection counts are
// atomics (the per-address map has its own mutex); the acceptor lives on its
// own strand, each connection on another.
class HttpServer::Impl
{
public:
    class Session;
    class Refusal;

    Impl(const Handler& handler, const HttpServerOptions& options)
        : m_handler(handler)
        , m_options(options)
        , m_io(std::make_unique<asio::io_context>(std::max(1, options.ioThreads)))
    {
        m_refusedGlobal = errorResponse(
            ApiError::unavailable("too_many_connections",
                                  QStringLiteral("this replica has %1 connections open, its limit "
                                                 "(http.max_connections)")
                                      .arg(options.maxConnections),
                                  1));
        m_refusedAddress = errorResponse(ApiError::unavailable(
            "too_many_connections",
            QStringLiteral("%1 connections are open from your address, the limit "
                           "(http.max_connections_per_address)")
                .arg(options.maxConnectionsPerAddress),
            1));
    }

    QString listen();
    bool startThreads();
    void accept();
    void onAccept(const error_code& ec, tcp::socket socket);
    void refuse(tcp::socket& socket, const QByteArray& response);
    void stop();

    // A connection closed: gives its place back.
    void release(const asio::ip::address& address, bool countedPerAddress)
    {
        m_open.fetch_sub(1, std::memory_order_relaxed);
        if (!countedPerAddress)
            return;
        const std::lock_guard lock(m_addressMutex);
        const auto it = m_perAddress.find(address);
        if (it != m_perAddress.end() && --it->second <= 0)
            m_perAddress.erase(it);
    }
    void responseStarted() { m_responding.fetch_add(1, std::memory_order_relaxed); }
    void responseFinished()
    {
        if (m_responding.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            const std::lock_guard lock(m_idleMutex);
            m_idle.notify_all();
        }
    }

    const Handler& m_handler;
    const HttpServerOptions m_options;
    int m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::atomic<std::int64_t> m_open{0};
    std::atomic<std::int64_t> m_responding{0};
    std::atomic<int> m_lingering{0}; // refused connections waiting to close
    std::mutex m_idleMutex;
    std::condition_variable m_idle;
    std::mutex m_addressMutex;
    std::map<asio::ip::address, int> m_perAddress;
    std::atomic<std::uint64_t> m_refusedGlobalCount{0};
    std::atomic<std::uint64_t> m_refusedAddressCount{0};
    std::atomic<std::uint64_t> m_timedOutHeader{0};
    std::atomic<std::uint64_t> m_timedOutBody{0};
    std::atomic<std::uint64_t> m_timedOutWrite{0};
    std::atomic<std::uint64_t> m_timedOutIdle{0};
    QByteArray m_refusedGlobal;
    QByteArray m_refusedAddress;
    HandlerPool m_pool;
    // Declared after everything the sessions touch: destroying the context
    // destroys the sessions still waiting on it.
    std::unique_ptr<asio::io_context> m_io;
    std::optional<tcp::acceptor> m_acceptor;
    std::optional<asio::steady_timer> m_acceptRetry;
    std::vector<std::unique_ptr<SizedThread>> m_ioThreads;
};

// One client connection: reads a request (head, then body) with a deadline
// per phase, hands it to a handler thread (or runs it inline), writes the
// response, and waits for the next one. Runs on its own strand.
class HttpServer::Impl::Session : public std::enable_shared_from_this<Session>
{
public:
    Session(Impl& server, tcp::socket socket, asio::ip::address remote, bool countedPerAddress)
        : m_server(server)
        , m_stream(std::move(socket))
        , m_remote(remote)
        , m_countedPerAddress(countedPerAddress)
    {
    }
    ~Session() { m_server.release(m_remote, m_countedPerAddress); }

    void start()
    {
        asio::dispatch(m_stream.get_executor(), [self = shared_from_this()] { self->readHead(); });
    }

private:
    const HttpServerOptions& options() const { return m_server.m_options; }

    void awaitRequest()
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

    void readHead()
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

    void onHead(const error_code& ec)
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
            return sendAndClose(errorResponse(
                ApiError::badRequest(QStringLiteral("malformed HTTP request: %1")
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

    void readBody()
    {
        m_stream.expires_after(milliseconds(options().bodyTimeoutMs));
        http::async_read(
            m_stream, m_buffer, *m_body, [self = shared_from_this()](error_code ec, std::size_t) {
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

    HttpExchange::Request takeRequest(HttpExchange::BodyStatus bodyStatus)
    {
        HttpExchange::Request r;
        const auto fill = [&](auto& parser) {
            const auto& message = parser.get();
            r.method = toBytes(message.method_string());
            r.path = decodedPath(message.target());
            for (const auto& field : message)
                r.headers.append({toBytes(field.name_string()), toBytes(field.value())});
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
        r.remoteAddress = QByteArray::fromStdString(m_remote.to_string());
        r.remoteIsLoopback = m_remote.is_loopback();
        r.bodyStatus = bodyStatus;
        return r;
    }

    static void runHandler(const Handler& handler, HttpExchange& exchange)
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

    void dispatch(HttpExchange::BodyStatus bodyStatus)
    {
        HttpExchange::Request request = takeRequest(bodyStatus);
        m_stream.expires_never(); // the handler may take long; the write has its own deadline
        m_server.responseStarted();
        if (options().runsInline && options().runsInline(request.method, request.path)) {
            HttpExchange exchange(std::move(request));
            runHandler(m_server.m_handler, exchange);
            return write(exchange.response(), exchange.keepAlive());
        }
        const bool queued = m_server.m_pool.post([self = shared_from_this(),
                                                  request = std::move(request)]() mutable {
            HttpExchange exchange(std::move(request));
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

    void write(QByteArray response, bool keepAlive)
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

    // An error answered before the request was fully read: write it, then close.
    void sendAndClose(QByteArray response)
    {
        m_server.responseStarted();
        write(std::move(response), false);
    }

    // Shuts our side down and discards what the client still sends for a
    // moment, so the close is a FIN the client reads after our response, not
    // a reset that may discard it.
    void linger()
    {
        error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        m_stream.expires_after(kLingerTimeout);
        discard();
    }

    void discard()
    {
        m_stream.async_read_some(asio::buffer(m_sink),
                                 [self = shared_from_this()](error_code ec, std::size_t) {
                                     if (ec)
                                         return self->close();
                                     self->discard();
                                 });
    }

    void close()
    {
        error_code ignored;
        m_stream.socket().close(ignored);
    }

    Impl& m_server;
    beast::tcp_stream m_stream;
    asio::ip::address m_remote;
    const bool m_countedPerAddress;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::empty_body>> m_head;
    std::optional<http::request_parser<http::string_body>> m_body;
    QByteArray m_response;
    std::array<char, 2048> m_sink{};
};

QString HttpServer::Impl::listen()
{
    error_code ec;
    const auto address = asio::ip::make_address(m_options.host.toStdString(), ec);
    if (ec)
        return QStringLiteral("http.host: \"%1\" is not an IP address").arg(m_options.host);
    const tcp::endpoint endpoint(address, std::uint16_t(m_options.port));
    const QString where = address.is_v6()
                              ? QStringLiteral("[%1]:%2").arg(m_options.host).arg(m_options.port)
                              : QStringLiteral("%1:%2").arg(m_options.host).arg(m_options.port);
    tcp::acceptor& acceptor = m_acceptor.emplace(asio::make_strand(*m_io));
    acceptor.open(endpoint.protocol(), ec);
    if (!ec && address.is_v6())
        acceptor.set_option(asio::ip::v6_only(true), ec);
    if (!ec)
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        acceptor.bind(endpoint, ec);
    if (!ec)
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        m_acceptor.reset();
        return QStringLiteral("cannot listen on %1: %2")
            .arg(where, QString::fromStdString(ec.message()));
    }
    m_port = acceptor.local_endpoint().port();
    m_acceptRetry.emplace(acceptor.get_executor());
    return {};
}

bool HttpServer::Impl::startThreads()
{
    if (!m_pool.start(m_options.threads, HttpServer::kHandlerStackBytes))
        return false;
    const int ioThreads = m_options.ioThreads > 0
                              ? m_options.ioThreads
                              : int(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < ioThreads; ++i) {
        auto thread = std::make_unique<SizedThread>(HttpServer::kIoStackBytes,
                                                    "qd-http-io-" + std::to_string(i), [this] {
                                                        auto work = asio::make_work_guard(*m_io);
                                                        m_io->run();
                                                    });
        if (!thread->started())
            return false;
        m_ioThreads.push_back(std::move(thread));
    }
    return true;
}

void HttpServer::Impl::accept()
{
    m_acceptor->async_accept(asio::make_strand(*m_io), [this](error_code ec, tcp::socket socket) {
        onAccept(ec, std::move(socket));
    });
}

void HttpServer::Impl::onAccept(const error_code& ec, tcp::socket socket)
{
    if (ec == asio::error::operation_aborted || !m_acceptor->is_open())
        return; // stopping
    if (ec) {
        // Out of file descriptors (EMFILE/ENFILE) most likely: accepting
        // again at once would spin, so wait a moment.
        spdlog::warn("[http] accept failed: {}", ec.message());
        m_acceptRetry->expires_after(kAcceptRetry);
        m_acceptRetry->async_wait([this](error_code waitError) {
            if (!waitError && m_acceptor->is_open())
                accept();
        });
        return;
    }
    accept(); // the next connection while this one is set up

    error_code endpointError;
    const asio::ip::address remote = plainAddress(socket.remote_endpoint(endpointError).address());
    if (endpointError)
        return; // already gone
    if (m_open.fetch_add(1, std::memory_order_relaxed) >= m_options.maxConnections) {
        m_open.fetch_sub(1, std::memory_order_relaxed);
        m_refusedGlobalCount.fetch_add(1, std::memory_order_relaxed);
        return refuse(socket, m_refusedGlobal);
    }
    // A trusted proxy carries many clients on its connections: only the
    // global limit applies to it.
    const bool countedPerAddress =
        m_options.maxConnectionsPerAddress > 0 &&
        !(m_options.exemptFromAddressLimit &&
          m_options.exemptFromAddressLimit(QByteArray::fromStdString(remote.to_string())));
    if (countedPerAddress) {
        bool overLimit = false;
        {
            const std::lock_guard lock(m_addressMutex);
            int& count = m_perAddress[remote];
            overLimit = count >= m_options.maxConnectionsPerAddress;
            if (!overLimit)
                ++count;
        }
        if (overLimit) {
            m_open.fetch_sub(1, std::memory_order_relaxed);
            m_refusedAddressCount.fetch_add(1, std::memory_order_relaxed);
            return refuse(socket, m_refusedAddress);
        }
    }
    socket.set_option(tcp::no_delay(true), endpointError);
    std::make_shared<Session>(*this, std::move(socket), remote, countedPerAddress)->start();
}

// Refuses an accepted connection: the 503 (Connection: close) is written
// without reading the request, our side is shut down, and what the client
// still sends is discarded for a moment, so the close is a FIN after our
// answer, not a reset that could discard it before the client reads it. At
// most kMaxLingering refusals wait like that; beyond (a flood), the socket is
// closed at once after one non-blocking write.
class HttpServer::Impl::Refusal : public std::enable_shared_from_this<Refusal>
{
public:
    Refusal(Impl& server, tcp::socket socket)
        : m_server(server)
        , m_stream(std::move(socket))
    {
        m_server.m_lingering.fetch_add(1, std::memory_order_relaxed);
    }
    ~Refusal() { m_server.m_lingering.fetch_sub(1, std::memory_order_relaxed); }

    void start(const QByteArray& response)
    {
        m_stream.expires_after(kLingerTimeout);
        asio::async_write(m_stream,
                          asio::buffer(response.constData(), std::size_t(response.size())),
                          [self = shared_from_this()](error_code ec, std::size_t) {
                              if (ec)
                                  return;
                              error_code ignored;
                              self->m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                              self->discard();
                          });
    }

private:
    void discard()
    {
        m_stream.async_read_some(asio::buffer(m_sink),
                                 [self = shared_from_this()](error_code ec, std::size_t) {
                                     if (!ec)
                                         self->discard();
                                 });
    }

    Impl& m_server;
    beast::tcp_stream m_stream;
    std::array<char, 512> m_sink{};
};

void HttpServer::Impl::refuse(tcp::socket& socket, const QByteArray& response)
{
    if (m_lingering.load(std::memory_order_relaxed) < kMaxLingering) {
        std::make_shared<Refusal>(*this, std::move(socket))->start(response);
        return;
    }
    error_code ec;
    socket.non_blocking(true, ec);
    socket.write_some(asio::buffer(response.constData(), std::size_t(response.size())), ec);
    socket.close(ec);
}

void HttpServer::Impl::stop()
{
    m_stopping.store(true);
    if (m_acceptor && m_ioThreads.empty()) {
        error_code ignored;
        m_acceptor->close(ignored);
    } else if (m_acceptor) {
        std::promise<void> closed;
        asio::post(m_acceptor->get_executor(), [this, &closed] {
            error_code ignored;
            m_acceptor->close(ignored);
            m_acceptRetry->cancel();
            closed.set_value();
        });
        closed.get_future().wait();
    }
    // Requests already read finish; their responses are posted to the
    // connections, then written (bounded by the write deadline).
    m_pool.stop();
    {
        std::unique_lock lock(m_idleMutex);
        m_idle.wait_for(lock, milliseconds(m_options.requestTimeoutMs),
                        [this] { return m_responding.load(std::memory_order_acquire) <= 0; });
    }
    m_io->stop();
    m_ioThreads.clear(); // joins
    m_acceptRetry.reset();
    m_acceptor.reset();
    m_io.reset(); // destroys the connections still open
}

HttpServer::HttpServer(Handler handler)
    : m_handler(std::move(handler))
{
}

HttpServer::~HttpServer()
{
    stop();
}

QString HttpServer::start(const HttpServerOptions& options)
{
    if (isRunning())
        return QStringLiteral("server already running");
    if (QHostAddress(options.host).isNull())
        return QStringLiteral("http.host: \"%1\" is not an IP address").arg(options.host);
    auto impl = std::make_unique<Impl>(m_handler, options);
    if (QString error = impl->listen(); !error.isEmpty())
        return error;
    if (!impl->startThreads()) {
        impl->stop();
        return QStringLiteral("cannot start the HTTP server's threads");
    }
    impl->accept();
    m_impl = std::move(impl); // counters start again from zero
    return {};
}

void HttpServer::stop()
{
    if (isRunning())
        m_impl->stop(); // the counters stay readable
}

bool HttpServer::isRunning() const
{
    return m_impl && !m_impl->m_stopping.load();
}

int HttpServer::port() const
{
    return m_impl ? m_impl->m_port : 0;
}

HttpServerStats HttpServer::stats() const
{
    if (!m_impl)
        return {};
    const Impl& i = *m_impl;
    HttpServerStats s;
    s.open = std::uint64_t(std::max<std::int64_t>(0, i.m_open.load(std::memory_order_relaxed)));
    s.refusedGlobalLimit = i.m_refusedGlobalCount.load(std::memory_order_relaxed);
    s.refusedAddressLimit = i.m_refusedAddressCount.load(std::memory_order_relaxed);
    s.timedOutHeader = i.m_timedOutHeader.load(std::memory_order_relaxed);
    s.timedOutBody = i.m_timedOutBody.load(std::memory_order_relaxed);
    s.timedOutWrite = i.m_timedOutWrite.load(std::memory_order_relaxed);
    s.timedOutIdle = i.m_timedOutIdle.load(std::memory_order_relaxed);
    return s;
}

std::uint64_t HttpServer::raiseOpenFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    return std::uint64_t(limit.rlim_cur);
}

} // namespace querydeck
