#include "service/HttpServer.h"

#include "service/HttpExchange.h"

#include <QHostAddress>
#include <civetweb.h>
#include <mutex>
#include <spdlog/spdlog.h>
#include <string>
#include <vector>

namespace querydeck {

namespace {

void initCivetwebOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { mg_init_library(0); });
}

std::string listeningPort(const HttpServerOptions& options)
{
    const QHostAddress address(options.host);
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(options.host)
                             : options.host;
    return QStringLiteral("%1:%2").arg(host).arg(options.port).toStdString();
}

} // namespace

HttpServer::HttpServer(Handler handler)
    : m_handler(std::move(handler))
{
}

HttpServer::~HttpServer()
{
    stop();
}

int HttpServer::onBeginRequest(mg_connection* connection)
{
    auto* self = static_cast<HttpServer*>(mg_get_user_data(mg_get_context(connection)));
    HttpExchange exchange(connection);
    try {
        self->m_handler(exchange);
    } catch (const std::exception& e) {
        spdlog::error("[http] handler threw: {}", e.what());
    }
    if (!exchange.responded()) {
        static constexpr QByteArrayView body =
            R"({"error":{"code":"internal","message":"the request could not be handled"}})";
        exchange.respond(500, "application/json", body);
    }
    return exchange.status();
}

QString HttpServer::start(const HttpServerOptions& options)
{
    if (m_context)
        return QStringLiteral("server already running");
    if (QHostAddress(options.host).isNull())
        return QStringLiteral("http.host: \"%1\" is not an IP address").arg(options.host);
    initCivetwebOnce();

    const std::string ports = listeningPort(options);
    const std::string threads = std::to_string(options.threads);
    const std::string requestTimeout = std::to_string(options.requestTimeoutMs);
    const std::string keepAliveTimeout = std::to_string(options.keepAliveTimeoutMs);
    const char* config[] = {"listening_ports", ports.c_str(), "num_threads", threads.c_str(),
                            "request_timeout_ms", requestTimeout.c_str(), "keep_alive_timeout_ms",
                            keepAliveTimeout.c_str(), "enable_keep_alive", "yes", "tcp_nodelay",
                            "1",
                            // Bounded request head; bodies are capped by the handlers.
                            "max_request_size", "16384",
                            // Give a client that is still sending a refused body a
                            // moment to read our error before the socket closes.
                            "linger_timeout_ms", "500", nullptr};

    mg_callbacks callbacks{};
    callbacks.begin_request = &HttpServer::onBeginRequest;
    callbacks.log_message = [](const mg_connection*, const char* message) {
        spdlog::debug("[http] civetweb: {}", message);
        return 1;
    };

    char errorText[256] = {};
    unsigned errorCode = 0;
    mg_error_data error{&errorCode, errorText, sizeof errorText};
    mg_init_data init{&callbacks, this, config};
    m_context = mg_start2(&init, &error);
    if (!m_context)
        return QStringLiteral("cannot listen on %1: %2")
            .arg(QString::fromStdString(ports), QString::fromUtf8(errorText));

    mg_server_port bound[4] = {};
    const int count = mg_get_server_ports(m_context, 4, bound);
    m_port = count > 0 ? bound[0].port : options.port;
    return {};
}

void HttpServer::stop()
{
    if (!m_context)
        return;
    mg_stop(m_context);
    m_context = nullptr;
}

} // namespace querydeck
