#pragma once

#include <QByteArrayView>
#include <QString>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace querydeck {

class HttpExchange;
class HttpServerImpl;

struct HttpServerOptions
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 8000;                    // 0: any free port, see HttpServer::port()
    int threads = 32;                   // handler threads: route handlers running at once
    int ioThreads = 0;                  // socket I/O threads; 0: one per CPU core
    int requestTimeoutMs = 30000;       // writing one response
    int keepAliveTimeoutMs = 5000;      // idle between two requests on one connection
    int headerTimeoutMs = 10000;        // from accept (or the first byte) to the end of the head
    int bodyTimeoutMs = 10000;          // reading the whole body
    qint64 maxBodyBytes = 64 * 1024;    // larger bodies are not read: the handler sees TooLarge
    int maxConnections = 16384;         // open at once; beyond: 503 and close
    int maxConnectionsPerAddress = 512; // from one client address; 0: no limit
    // Client addresses ("10.0.0.5", "::1") the per-address limit does not
    // apply to, e.g. trusted proxies that carry many clients' connections.
    std::function<bool(QByteArrayView address)> exemptFromAddressLimit;
    // Sees every complete request first, on the I/O thread: it answers (and
    // returns true) those that need no waiting, e.g. /health, which are then
    // answered even while every handler thread waits on something, and cost
    // no hand-off between threads. It returns false, having responded
    // nothing, for the rest: they go to a handler thread. Must never block.
    std::function<bool(HttpExchange&)> inlineHandler;
};

// Connection counters since start(), for the service's Prometheus metrics.
struct HttpServerStats
{
    std::uint64_t open = 0;
    std::uint64_t refusedGlobalLimit = 0;
    std::uint64_t refusedAddressLimit = 0;
    std::uint64_t timedOutHeader = 0;
    std::uint64_t timedOutBody = 0;
    std::uint64_t timedOutWrite = 0;
    std::uint64_t timedOutIdle = 0;
};

// The query service's HTTP/1.1 server (Boost.Beast on Asio; Boost types stay
// in HttpServer.cpp). A few I/O threads do all socket I/O with a deadline per
// phase (head, body, write, keep-alive idle), so stalled or slow clients cost a
// socket and a little memory, never a thread. Complete requests (head and body
// already read) that the inline handler does not answer go to a bounded pool
// of `threads` handler threads, where the handler may block; the response
// goes back to the connection's I/O thread.
// The handler must be thread-safe and should respond (a 500 is sent if not).
// start()/stop()/stats() are called from one controlling thread.
class HttpServer
{
public:
    using Handler = std::function<void(HttpExchange&)>;

    // Handler threads run the whole query pipeline: Qt's JSON parser
    // recursing up to its nesting limit (1024 levels), hnswlib, hiredis, the
    // LLM clients. 8 MiB is the glibc default the civetweb workers ran on, so
    // no request that worked before can overflow now; only touched pages
    // become resident.
    static constexpr std::size_t kHandlerStackBytes = 8 * 1024 * 1024;
    // I/O threads run Beast's parser (iterative: input depth does not nest
    // calls), Asio completion handlers and the inline routes (/health,
    // /ready), a few frames deep; 2 MiB leaves a wide margin.
    static constexpr std::size_t kIoStackBytes = 2 * 1024 * 1024;

    explicit HttpServer(Handler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and starts the threads. Returns an error text, empty on success.
    QString start(const HttpServerOptions& options);
    // Closes the listening socket, lets requests in progress finish and their
    // responses go out, then closes every connection and joins the threads.
    void stop();
    bool isRunning() const;
    int port() const;
    HttpServerStats stats() const;

    // Raises this process's soft RLIMIT_NOFILE to the hard limit (as nginx's
    // worker_rlimit_nofile does) so that many connections fit; returns the
    // soft limit in force afterwards.
    static std::uint64_t raiseOpenFileLimit();

private:
    Handler m_handler;
    std::unique_ptr<HttpServerImpl> m_impl;
};

} // namespace querydeck
