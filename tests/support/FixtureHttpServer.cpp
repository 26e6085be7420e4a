#include "FixtureHttpServer.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

namespace querydeck {

namespace {

constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
constexpr qsizetype kMaxBodyBytes = 64 * 1024 * 1024;

QByteArray routeKey(const QByteArray& method, const QByteArray& path)
{
    return method.toUpper() + ' ' + path;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

bool hasHeader(const QList<QPair<QByteArray, QByteArray>>& headers, const QByteArray& name)
{
    for (const auto& header : headers)
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

QByteArray FixtureRequest::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

QJsonObject FixtureRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

FixtureResponse FixtureResponse::json(int status, const QJsonObject& body)
{
    FixtureResponse response;
    response.status = status;
    response.headers = {{"Content-Type", "application/json"}};
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return response;
}

FixtureResponse FixtureResponse::text(int status, const QByteArray& body,
                                      const QByteArray& contentType)
{
    FixtureResponse response;
    response.status = status;
    response.headers = {{"Content-Type", contentType}};
    response.body = body;
    return response;
}

FixtureResponse FixtureResponse::dropConnection(std::chrono::milliseconds delay)
{
    FixtureResponse response;
    response.delay = delay;
    response.closeWithoutReply = true;
    return response;
}

// Lives on the server thread: owns the listening socket and the connections.
class FixtureHttpServer::Worker : public QObject
{
public:
    explicit Worker(FixtureHttpServer* owner)
        : m_owner(owner)
    {
    }

    bool listen(QString* error)
    {
        m_server = new QTcpServer(this);
        QObject::connect(m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = m_server->nextPendingConnection())
                accept(socket);
        });
        if (!m_server->listen(QHostAddress::LocalHost, 0)) {
            *error = QStringLiteral("fixture server cannot listen on 127.0.0.1: %1")
                         .arg(m_server->errorString());
            return false;
        }
        return true;
    }

    quint16 port() const { return m_server ? m_server->serverPort() : 0; }

    void shutdown()
    {
        if (m_server)
            m_server->close();
        const auto sockets = findChildren<QTcpSocket*>();
        for (QTcpSocket* socket : sockets) {
            socket->abort();
            delete socket;
        }
        delete m_server;
        m_server = nullptr;
    }

private:
    void accept(QTcpSocket* socket)
    {
        socket->setParent(this);
        {
            QMutexLocker lock(&m_owner->m_mutex);
            ++m_owner->m_connections;
        }
        QObject::connect(socket, &QTcpSocket::readyRead, this, [this, socket] { process(socket); });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

    // Handles every complete request in the socket's buffer, one at a time:
    // while a delayed reply is pending, later requests wait in the buffer.
    void process(QTcpSocket* socket)
    {
        if (socket->property("busy").toBool())
            return;
        QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
        socket->setProperty("buffer", QByteArray());

        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            if (buffer.size() > kMaxHeaderBytes)
                sendRaw(socket, 431, "request headers too large", true);
            else
                socket->setProperty("buffer", buffer);
            return;
        }
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        if (requestLine.size() != 3) {
            sendRaw(socket, 400, "malformed request line", true);
            return;
        }
        FixtureRequest request;
        request.method = requestLine[0];
        const QByteArray target = requestLine[1];
        const qsizetype question = target.indexOf('?');
        request.path = question < 0 ? target : target.left(question);
        request.query = question < 0 ? QByteArray() : target.mid(question + 1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                request.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
        if (request.header("Transfer-Encoding").toLower().contains("chunked")) {
            sendRaw(socket, 411, "chunked request bodies are not supported", true);
            return;
        }
        bool lengthOk = true;
        const QByteArray lengthHeader = request.header("Content-Length");
        const qint64 length = lengthHeader.isEmpty() ? 0 : lengthHeader.toLongLong(&lengthOk);
        if (!lengthOk || length < 0 || length > kMaxBodyBytes) {
            sendRaw(socket, 400, "bad Content-Length", true);
            return;
        }
        const qsizetype bodyStart = headerEnd + 4;
        if (buffer.size() - bodyStart < length) {
            socket->setProperty("buffer", buffer); // wait for the rest of the body
            return;
        }
        request.body = buffer.mid(bodyStart, length);
        socket->setProperty("buffer", buffer.mid(bodyStart + length));

        const bool closeAfter =
            request.header("Connection").toLower() == "close" || requestLine[2] == "HTTP/1.0";
        const FixtureResponse response = m_owner->respond(request);
        socket->setProperty("busy", true);
        const auto reply = [this, socket, response, closeAfter] {
            socket->setProperty("busy", false);
            if (response.closeWithoutReply) {
                socket->abort();
                return;
            }
            send(socket, response, closeAfter);
            if (!closeAfter)
                process(socket);
        };
        if (response.delay.count() > 0)
            QTimer::singleShot(response.delay, socket, reply);
        else
            reply();
    }

    void sendRaw(QTcpSocket* socket, int status, const QByteArray& message, bool close)
    {
        send(socket, FixtureResponse::text(status, message), close);
    }

    void send(QTcpSocket* socket, const FixtureResponse& response, bool close)
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' +
                         reasonPhrase(response.status) + "\r\n";
        for (const auto& [name, value] : response.headers)
            out += name + ": " + value + "\r\n";
        if (!hasHeader(response.headers, "Content-Type") && !response.body.isEmpty())
            out += "Content-Type: application/json\r\n";
        out += close ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
        if (response.chunked) {
            out += "Transfer-Encoding: chunked\r\n\r\n";
            const qsizetype piece = std::max<qsizetype>(1, response.body.size() / 3 + 1);
            for (qsizetype at = 0; at < response.body.size(); at += piece) {
                const QByteArray chunk = response.body.mid(at, piece);
                out += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
            }
            out += "0\r\n\r\n";
        } else {
            out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n\r\n";
            out += response.body;
        }
        socket->write(out);
        if (close)
            socket->disconnectFromHost();
    }

    FixtureHttpServer* m_owner;
    QTcpServer* m_server = nullptr;
};

FixtureHttpServer::FixtureHttpServer() = default;

FixtureHttpServer::~FixtureHttpServer()
{
    stop();
}

bool FixtureHttpServer::start()
{
    if (m_thread)
        return true;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("FixtureHttpServer"));
    m_worker = new Worker(this);
    m_worker->moveToThread(m_thread.get());
    m_thread->start();
    bool listening = false;
    QString error;
    QMetaObject::invokeMethod(
        m_worker, [&] { listening = m_worker->listen(&error); }, Qt::BlockingQueuedConnection);
    if (!listening) {
        QMutexLocker lock(&m_mutex);
        m_error = error;
        lock.unlock();
        stop();
        return false;
    }
    m_port = m_worker->port();
    return true;
}

void FixtureHttpServer::stop()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(
        m_worker, [this] { m_worker->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
    m_worker = nullptr;
    m_thread.reset();
}

QString FixtureHttpServer::errorString() const
{
    QMutexLocker lock(&m_mutex);
    return m_error;
}

quint16 FixtureHttpServer::port() const
{
    return m_port;
}

QUrl FixtureHttpServer::url(const QString& path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}

void FixtureHttpServer::enqueue(const QByteArray& method, const QByteArray& path,
                                const FixtureResponse& response)
{
    QMutexLocker lock(&m_mutex);
    m_queues[routeKey(method, path)].enqueue(response);
}

void FixtureHttpServer::setHandler(const QByteArray& method, const QByteArray& path,
                                   Handler handler)
{
    QMutexLocker lock(&m_mutex);
    m_handlers.insert(routeKey(method, path), std::move(handler));
}

void FixtureHttpServer::reset()
{
    QMutexLocker lock(&m_mutex);
    m_queues.clear();
    m_handlers.clear();
    m_requests.clear();
    m_connections = 0;
}

qsizetype FixtureHttpServer::connectionCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_connections;
}

QList<FixtureRequest> FixtureHttpServer::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

qsizetype FixtureHttpServer::requestCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests.size();
}

FixtureResponse FixtureHttpServer::respond(const FixtureRequest& request)
{
    const QByteArray key = routeKey(request.method, request.path);
    Handler handler;
    {
        QMutexLocker lock(&m_mutex);
        m_requests.append(request);
        auto queue = m_queues.find(key);
        if (queue != m_queues.end() && !queue->isEmpty())
            return queue->dequeue();
        handler = m_handlers.value(key);
    }
    if (handler)
        return handler(request);
    return FixtureResponse::json(
        404,
        {{QStringLiteral("error"),
          QStringLiteral("fixture: no response scripted for %1").arg(QString::fromUtf8(key))}});
}

} // namespace querydeck
