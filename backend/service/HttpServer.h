#pragma once

#include <QString>
#include <functional>

struct mg_context;
struct mg_connection;

namespace querydeck {

class HttpExchange;

struct HttpServerOptions
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 8000; // 0: any free port, see HttpServer::port()
    int threads = 32;
    int requestTimeoutMs = 30000;
    int keepAliveTimeoutMs = 5000;
};

// The civetweb server of the query service, with its limits set explicitly.
// Every request goes to one handler, called on a civetweb worker thread; the
// handler must be thread-safe and must respond. start()/stop() are called from
// one controlling thread.
class HttpServer
{
public:
    using Handler = std::function<void(HttpExchange&)>;

    explicit HttpServer(Handler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and starts the worker threads. Returns an error text, empty on success.
    QString start(const HttpServerOptions& options);
    // Closes the listening socket and joins the workers; requests in progress
    // finish first.
    void stop();
    bool isRunning() const { return m_context != nullptr; }
    int port() const { return m_port; }

private:
    static int onBeginRequest(mg_connection* connection);

    Handler m_handler;
    mg_context* m_context = nullptr;
    int m_port = 0;
};

} // namespace querydeck
