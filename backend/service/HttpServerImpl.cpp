#include "backend/service/HttpServerImpl.h"

#include "backend/service/ApiError.h"
#include "backend/service/ConnectionRefusal.h"
#include "backend/service/HttpConnection.h"
#include "backend/service/HttpExchange.h"
#include "backend/service/SizedThread.h"

#include <algorithm>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <spdlog/spdlog.h>
#include <string>
#include <thread>

namespace querydeck {

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

namespace {

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

HttpServerImpl::HttpServerImpl(const HttpServer::Handler& handler, const HttpServerOptions& options)
    : m_handler(handler)
    , m_options(options)
{
    const int ioThreads = options.ioThreads > 0
                              ? options.ioThreads
                              : int(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < ioThreads; ++i)
        m_io.push_back(std::make_unique<asio::io_context>(1));
    m_refusedGlobal = errorResponse(
        ApiError::unavailable("too_many_connections",
                              QStringLiteral("this replica has %1 connections open, its limit "
                                             "(http.max_connections)")
                                  .arg(options.maxConnections),
                              1));
    m_refusedAddress = errorResponse(
        ApiError::unavailable("too_many_connections",
                              QStringLiteral("%1 connections are open from your address, the limit "
                                             "(http.max_connections_per_address)")
                                  .arg(options.maxConnectionsPerAddress),
                              1));
}

void HttpServerImpl::release(const asio::ip::address& address, bool countedPerAddress)
{
    m_open.fetch_sub(1, std::memory_order_relaxed);
    if (!countedPerAddress)
        return;
    const std::lock_guard lock(m_addressMutex);
    const auto it = m_perAddress.find(address);
    if (it != m_perAddress.end() && --it->second <= 0)
        m_perAddress.erase(it);
}

void HttpServerImpl::responseStarted()
{
    m_responding.fetch_add(1, std::memory_order_relaxed);
}

void HttpServerImpl::responseFinished()
{
    if (m_responding.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        const std::lock_guard lock(m_idleMutex);
        m_idle.notify_all();
    }
}

QString HttpServerImpl::listen()
{
    error_code ec;
    const auto address = asio::ip::make_address(m_options.host.toStdString(), ec);
    if (ec)
        return QStringLiteral("http.host: \"%1\" is not an IP address").arg(m_options.host);
    const tcp::endpoint endpoint(address, std::uint16_t(m_options.port));
    const QString where = address.is_v6()
                              ? QStringLiteral("[%1]:%2").arg(m_options.host).arg(m_options.port)
                              : QStringLiteral("%1:%2").arg(m_options.host).arg(m_options.port);
    // On the first I/O thread, which also runs connections: accepting is
    // cheap next to reading and writing.
    tcp::acceptor& acceptor = m_acceptor.emplace(*m_io.front());
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

bool HttpServerImpl::startThreads()
{
    if (!m_pool.start(m_options.threads, HttpServer::kHandlerStackBytes))
        return false;
    for (std::size_t i = 0; i < m_io.size(); ++i) {
        asio::io_context& io = *m_io[i];
        auto thread = std::make_unique<SizedThread>(HttpServer::kIoStackBytes,
                                                    "qd-http-io-" + std::to_string(i), [&io] {
                                                        auto work = asio::make_work_guard(io);
                                                        io.run();
                                                    });
        if (!thread->started())
            return false;
        m_ioThreads.push_back(std::move(thread));
    }
    return true;
}

void HttpServerImpl::accept()
{
    asio::io_context& io = *m_io[m_nextIo++ % m_io.size()];
    m_acceptor->async_accept(io.get_executor(), [this](error_code ec, Socket socket) {
        onAccept(ec, std::move(socket));
    });
}

void HttpServerImpl::onAccept(const error_code& ec, Socket socket)
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
    std::make_shared<HttpConnection>(*this, std::move(socket), remote, countedPerAddress)->start();
}

void HttpServerImpl::refuse(Socket& socket, const QByteArray& response)
{
    if (m_lingering.load(std::memory_order_relaxed) < kMaxLingering) {
        std::make_shared<ConnectionRefusal>(*this, std::move(socket))->start(response);
        return;
    }
    error_code ec;
    socket.non_blocking(true, ec);
    socket.write_some(asio::buffer(response.constData(), std::size_t(response.size())), ec);
    socket.close(ec);
}

void HttpServerImpl::stop()
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
    for (const auto& io : m_io)
        io->stop();
    m_ioThreads.clear(); // joins
    m_acceptRetry.reset();
    m_acceptor.reset();
    m_io.clear(); // destroys the connections still open
}

} // namespace querydeck
