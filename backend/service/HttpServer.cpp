#include "backend/service/HttpServer.h"

#include "backend/service/HttpServerImpl.h"

#include <QHostAddress>
#include <algorithm>
#include <sys/resource.h>

namespace querydeck {

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
    auto impl = std::make_unique<HttpServerImpl>(m_handler, options);
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
    const HttpServerImpl& i = *m_impl;
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
