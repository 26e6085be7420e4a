#pragma once

// Private to the HTTP server's .cpp files (HttpServer, HttpServerImpl,
// HttpConnection, ConnectionRefusal): Boost types stay out of HttpServer.h.

#include "backend/service/HandlerPool.h"
#include "backend/service/HttpServer.h"
#include "backend/service/SizedThread.h"

#include <QByteArray>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace querydeck {

struct ApiError;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using std::chrono::milliseconds;
// Each I/O thread runs its own io_context, and a connection lives on one of
// them for its whole life: its handlers never run concurrently, so no strand
// is needed, and the executor is the concrete type (no any_io_executor).
using Executor = asio::io_context::executor_type;
using Socket = tcp::socket::rebind_executor<Executor>::other;
using Stream = beast::basic_stream<tcp, Executor>;

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

// A complete response with Connection: close for an error found by the
// server itself (431, 400, 503 at the connection limits).
QByteArray errorResponse(const ApiError& error);

// Everything that exists while the server runs (HttpServer's private
// implementation): the I/O threads, the acceptor, the connection limits and
// counters, the handler pool. Connection counts are atomics (the per-address
// map has its own mutex); the acceptor lives on the first I/O thread's
// io_context, each connection on one of them in turn.
class HttpServerImpl
{
public:
    HttpServerImpl(const HttpServer::Handler& handler, const HttpServerOptions& options);

    QString listen();
    bool startThreads();
    void accept();
    void onAccept(const error_code& ec, Socket socket);
    void refuse(Socket& socket, const QByteArray& response);
    void stop();

    // A connection closed: gives its place back.
    void release(const asio::ip::address& address, bool countedPerAddress);
    // Responses in progress, so that stop() can wait for them.
    void responseStarted();
    void responseFinished();

    // Read by the connections (HttpConnection, ConnectionRefusal).
    const HttpServer::Handler& m_handler;
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
    // Declared after everything the connections touch: destroying a context
    // destroys the connections still waiting on it.
    std::vector<std::unique_ptr<asio::io_context>> m_io; // one per I/O thread
    std::size_t m_nextIo = 0; // round-robin, used by the accepting thread only
    std::optional<tcp::acceptor> m_acceptor;
    std::optional<asio::steady_timer> m_acceptRetry;
    std::vector<std::unique_ptr<SizedThread>> m_ioThreads;
};

} // namespace querydeck
