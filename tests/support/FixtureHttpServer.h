#pragma once

#include "FixtureRequest.h"
#include "FixtureResponse.h"

#include <QHash>
#include <QMutex>
#include <QQueue>
#include <QString>
#include <QUrl>
#include <functional>
#include <memory>

class QThread;

namespace querydeck {

// A small scripted HTTP/1.1 server for tests of HTTP clients (model servers,
// webhooks, Kubernetes API). Listens on 127.0.0.1 on a free port and runs on
// its own QThread, so a test may call it with blocking clients from the test
// thread or any other. Routes are method + path (query string ignored): queued
// responses are served first, in order, then the route's handler; anything
// else gets 404 with a body naming the unscripted route. Request bodies need
// Content-Length (chunked request bodies get 411); connections are kept alive
// unless the client asks otherwise.
//
// Threads: every public method may be called from any thread. Handlers run on
// the server thread and must not block; use FixtureResponse::delay instead.
class FixtureHttpServer
{
public:
    using Handler = std::function<FixtureResponse(const FixtureRequest&)>;

    FixtureHttpServer();
    ~FixtureHttpServer();
    FixtureHttpServer(const FixtureHttpServer&) = delete;
    FixtureHttpServer& operator=(const FixtureHttpServer&) = delete;

    // Starts listening; false with errorString() set when it cannot.
    bool start();
    // Closes every connection and stops the thread. Also done by the destructor.
    void stop();
    QString errorString() const;

    quint16 port() const;
    // http://127.0.0.1:<port><path>
    QUrl url(const QString& path = {}) const;

    void enqueue(const QByteArray& method, const QByteArray& path, const FixtureResponse& response);
    void setHandler(const QByteArray& method, const QByteArray& path, Handler handler);
    // Forgets routes, recorded requests and the connection count.
    void reset();

    QList<FixtureRequest> requests() const;
    qsizetype requestCount() const;
    // TCP connections accepted since start() or reset(); shows keep-alive reuse.
    qsizetype connectionCount() const;

private:
    class Worker;
    friend class Worker;

    FixtureResponse respond(const FixtureRequest& request);

    mutable QMutex m_mutex;
    QHash<QByteArray, QQueue<FixtureResponse>> m_queues;
    QHash<QByteArray, Handler> m_handlers;
    QList<FixtureRequest> m_requests;
    qsizetype m_connections = 0;
    std::unique_ptr<QThread> m_thread;
    Worker* m_worker = nullptr;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace querydeck
