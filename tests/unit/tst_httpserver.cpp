// HttpServer's defences against stalled and greedy clients, in process: the
// header and body deadlines, the per-address and global connection limits,
// the keep-alive idle timeout and their counters; the handler threads' stack
// and inline routes answered while every handler thread is busy. Deadlines
// are short (200 ms) and every check waits for a condition, never a duration.
#include "ClientSockets.h"
#include "RawHttp.h"
#include "backend/service/HttpExchange.h"
#include "backend/service/HttpServer.h"
#include "backend/service/SizedThread.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>
#include <atomic>
#include <condition_variable>
#include <mutex>

using namespace querydeck;
using namespace querydeck::test;

namespace {

HttpServerOptions smallOptions()
{
    HttpServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.ioThreads = 2;
    o.headerTimeoutMs = 200;
    o.bodyTimeoutMs = 200;
    o.keepAliveTimeoutMs = 200;
    o.requestTimeoutMs = 5000;
    o.maxBodyBytes = 4096;
    return o;
}

// The API error's code in a whole raw response (head and body).
QByteArray errorCode(const QByteArray& response)
{
    return apiErrorCode(response.mid(response.indexOf("\r\n\r\n") + 4));
}

const QByteArray kGet = "GET /ok HTTP/1.1\r\nHost: t\r\n\r\n";

} // namespace

class HttpServerTest : public QObject
{
    Q_OBJECT

private:
    // Answers every request 200 with the body it read; /block waits until
    // release() (a slow LLM call), recording the stack size it runs with.
    void handle(HttpExchange& exchange)
    {
        m_handled.fetch_add(1);
        m_stackBytes.store(SizedThread::currentStackBytes());
        if (exchange.path() == "/block") {
            std::unique_lock lock(m_mutex);
            ++m_blocked;
            m_changed.notify_all();
            m_changed.wait(lock, [this] { return m_released; });
        }
        QByteArray body;
        if (exchange.readBody(4096, &body) == HttpExchange::BodyStatus::TooLarge) {
            exchange.respond(413, "application/json", R"({"error":{"code":"too_large"}})", {},
                             true);
            return;
        }
        exchange.respond(200, "text/plain", "ok:" + body);
    }

    void release()
    {
        const std::lock_guard lock(m_mutex);
        m_released = true;
        m_changed.notify_all();
    }

    std::unique_ptr<HttpServer> startServer(const HttpServerOptions& options)
    {
        auto server = std::make_unique<HttpServer>([this](HttpExchange& e) { handle(e); });
        const QString error = server->start(options);
        if (!error.isEmpty())
            qWarning("%s", qPrintable(error));
        return error.isEmpty() ? std::move(server) : nullptr;
    }

    std::atomic<int> m_handled{0};
    std::atomic<std::size_t> m_stackBytes{0};
    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_blocked = 0;
    bool m_released = false;

private slots:
    void init()
    {
        m_handled = 0;
        m_blocked = 0;
        m_released = false;
    }

    void headerDeadlineClosesSlowHeader()
    {
        auto server = startServer(smallOptions());
        QVERIFY(server);
        ClientSockets clients;
        // Half a head, then nothing: the deadline, not the client, ends it.
        QCOMPARE(clients.open(quint16(server->port()), 3, 3, 0, "GET /ok HTTP/1.1\r\nHo"),
                 QString());
        QTRY_COMPARE_WITH_TIMEOUT(clients.closedByServer(), 3, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().timedOutHeader, std::uint64_t(3), 10000);
        QCOMPARE(m_handled.load(), 0);
        // A client that sends nothing at all is on the same deadline.
        ClientSockets silent;
        QCOMPARE(silent.open(quint16(server->port()), 1, 1, 1), QString());
        QTRY_COMPARE_WITH_TIMEOUT(silent.closedByServer(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().timedOutHeader, std::uint64_t(4), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().open, std::uint64_t(0), 10000);
    }

    void bodyDeadlineClosesSlowBody()
    {
        auto server = startServer(smallOptions());
        QVERIFY(server);
        ClientSockets clients;
        QCOMPARE(clients.open(quint16(server->port()), 2, 2, 0,
                              "POST /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n0123"),
                 QString());
        QTRY_COMPARE_WITH_TIMEOUT(clients.closedByServer(), 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().timedOutBody, std::uint64_t(2), 10000);
        QCOMPARE(server->stats().timedOutHeader, std::uint64_t(0));
        QCOMPARE(m_handled.load(), 0); // never handed to a handler thread
    }

    void keepAliveIdleTimeoutCounted()
    {
        auto server = startServer(smallOptions());
        QVERIFY(server);
        ClientSockets clients;
        QCOMPARE(clients.open(quint16(server->port()), 1, 1, 0, kGet), QString());
        QTRY_COMPARE_WITH_TIMEOUT(clients.answered("HTTP/1.1 200"), 1, 10000);
        QVERIFY(clients.received(0).contains("Connection: keep-alive"));
        QTRY_COMPARE_WITH_TIMEOUT(clients.closedByServer(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().timedOutIdle, std::uint64_t(1), 10000);
        QCOMPARE(server->stats().timedOutHeader, std::uint64_t(0));
    }

    void perAddressLimitRefusesOnlyThatAddress()
    {
        HttpServerOptions options = smallOptions();
        options.headerTimeoutMs = 60000; // the held connections must stay open
        options.maxConnectionsPerAddress = 3;
        auto server = startServer(options);
        QVERIFY(server);
        const quint16 port = quint16(server->port());
        ClientSockets held;
        QCOMPARE(held.open(port, 3, 3, 10), QString()); // three from 127.1.0.11
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().open, std::uint64_t(3), 10000);

        ClientSockets fourth;
        QCOMPARE(fourth.open(port, 1, 1, 10, kGet), QString()); // the same address again
        QTRY_COMPARE_WITH_TIMEOUT(fourth.closedByServer(), 1, 10000);
        QVERIFY2(fourth.received(0).startsWith("HTTP/1.1 503"), fourth.received(0).constData());
        QVERIFY(fourth.received(0).contains("Connection: close"));
        QVERIFY(fourth.received(0).contains("Retry-After: 1"));
        QCOMPARE(errorCode(fourth.received(0)), QByteArray("too_many_connections"));
        QVERIFY(fourth.received(0).contains("max_connections_per_address"));

        ClientSockets other; // another address is served
        QCOMPARE(other.open(port, 1, 1, 11, kGet), QString());
        QTRY_COMPARE_WITH_TIMEOUT(other.answered("HTTP/1.1 200"), 1, 10000);
        QCOMPARE(server->stats().refusedAddressLimit, std::uint64_t(1));
        QCOMPARE(server->stats().refusedGlobalLimit, std::uint64_t(0));

        // A place freed is a place for that address again.
        held.closeAll();
        QTRY_VERIFY_WITH_TIMEOUT(server->stats().open <= 1, 10000);
        ClientSockets again;
        QCOMPARE(again.open(port, 1, 1, 10, kGet), QString());
        QTRY_COMPARE_WITH_TIMEOUT(again.answered("HTTP/1.1 200"), 1, 10000);
    }

    void exemptAddressHasNoPerAddressLimit()
    {
        HttpServerOptions options = smallOptions();
        options.headerTimeoutMs = 60000;
        options.maxConnectionsPerAddress = 1;
        const QByteArray proxy = ClientSockets::sourceAddress(40).toString().toLatin1();
        options.exemptFromAddressLimit = [proxy](QByteArrayView a) { return a == proxy; };
        auto server = startServer(options);
        QVERIFY(server);
        const quint16 port = quint16(server->port());
        ClientSockets held;
        QCOMPARE(held.open(port, 3, 3, 40), QString());
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().open, std::uint64_t(3), 10000);
        ClientSockets more;
        QCOMPARE(more.open(port, 1, 1, 40, kGet), QString());
        QTRY_COMPARE_WITH_TIMEOUT(more.answered("HTTP/1.1 200"), 1, 10000);
        QCOMPARE(server->stats().refusedAddressLimit, std::uint64_t(0));
    }

    void globalLimitRefusesCleanly()
    {
        HttpServerOptions options = smallOptions();
        options.headerTimeoutMs = 60000;
        options.maxConnections = 4;
        options.maxConnectionsPerAddress = 0;
        auto server = startServer(options);
        QVERIFY(server);
        const quint16 port = quint16(server->port());
        ClientSockets held;
        QCOMPARE(held.open(port, 4, 1, 20), QString()); // four addresses, one each
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().open, std::uint64_t(4), 10000);

        // A fifth address: the global limit refuses, not the per-address one.
        // (Raw sockets: QTcpSocket may drop a response that arrives with the
        // FIN before its request is written.)
        ClientSockets refused;
        QCOMPARE(refused.open(port, 1, 1, 30, kGet), QString());
        QTRY_COMPARE_WITH_TIMEOUT(refused.closedByServer(), 1, 10000);
        const QByteArray answer = refused.received(0);
        QVERIFY2(answer.startsWith("HTTP/1.1 503"), answer.constData());
        QVERIFY(answer.contains("Connection: close"));
        QVERIFY(answer.contains("Retry-After: 1"));
        QCOMPARE(errorCode(answer), QByteArray("too_many_connections"));
        QVERIFY(answer.contains("(http.max_connections)"));
        QCOMPARE(server->stats().refusedGlobalLimit, std::uint64_t(1));

        held.closeAll();
        QTRY_COMPARE_WITH_TIMEOUT(server->stats().open, std::uint64_t(0), 10000);
        QCOMPARE(RawHttp::get(port, "/ok").status, 200);
    }

    void oversizedBodyRefusedUnread()
    {
        auto server = startServer(smallOptions());
        QVERIFY(server);
        // Only the head: the answer must come from Content-Length alone.
        const RawResponse r = RawHttp::exchange(
            quint16(server->port()),
            "POST /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n", 5000);
        QCOMPARE(r.status, 413);
        QCOMPARE(r.header("Connection"), QByteArray("close"));
    }

    void keepAliveHeadAndExpectContinue()
    {
        auto server = startServer(smallOptions());
        QVERIFY(server);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(server->port()));
        QVERIFY(socket.waitForConnected(5000));
        auto readResponse = [&socket](int bodyBytes) {
            QByteArray data;
            while (!data.contains("\r\n\r\n") ||
                   data.size() < data.indexOf("\r\n\r\n") + 4 + bodyBytes) {
                if (!socket.waitForReadyRead(5000))
                    break;
                data += socket.readAll();
            }
            return data;
        };
        socket.write("POST /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
        const QByteArray first = readResponse(6);
        QVERIFY2(first.startsWith("HTTP/1.1 200"), first.constData());
        QVERIFY(first.endsWith("ok:abc"));
        QVERIFY(first.contains("Connection: keep-alive"));
        // The same socket again: HEAD has the length of the body, not the body.
        socket.write("HEAD /ok HTTP/1.1\r\nHost: t\r\n\r\n");
        const QByteArray head = readResponse(0);
        QVERIFY2(head.startsWith("HTTP/1.1 200"), head.constData());
        QVERIFY(head.contains("Content-Length: 3"));
        QVERIFY(head.endsWith("\r\n\r\n"));
        // Expect: 100-continue is answered before the body is sent.
        socket.write("POST /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
                     "Expect: 100-continue\r\nConnection: close\r\n\r\n");
        QByteArray interim;
        while (!interim.contains("\r\n\r\n") && socket.waitForReadyRead(5000))
            interim += socket.readAll();
        QVERIFY2(interim.startsWith("HTTP/1.1 100 Continue"), interim.constData());
        socket.write("xy");
        const QByteArray last = readResponse(5);
        QVERIFY2(last.contains("ok:xy"), last.constData());
        QVERIFY(last.contains("Connection: close"));
    }

    void malformedHeadIsAnswered400()
    {
        auto server = startServer(smallOptions());
        QVERIFY(server);
        const RawResponse r =
            RawHttp::exchange(quint16(server->port()), "NOT HTTP AT ALL\r\n\r\n", 5000);
        QCOMPARE(r.status, 400);
        QCOMPARE(errorCode("\r\n\r\n" + r.body), QByteArray("invalid_request"));
        QCOMPARE(m_handled.load(), 0);
    }

    void ipv6Host()
    {
        HttpServerOptions options = smallOptions();
        options.host = QStringLiteral("::1");
        auto server = startServer(options);
        QVERIFY(server);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHostIPv6, quint16(server->port()));
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /ok HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n");
        QByteArray data;
        while (socket.waitForReadyRead(5000))
            data += socket.readAll();
        QVERIFY2(data.startsWith("HTTP/1.1 200"), data.constData());
    }

    void handlersRunOnTheStatedStack()
    {
        auto server = startServer(smallOptions());
        QVERIFY(server);
        QCOMPARE(RawHttp::get(quint16(server->port()), "/ok").status, 200);
        QVERIFY2(m_stackBytes.load() >= HttpServer::kHandlerStackBytes,
                 qPrintable(QString::number(m_stackBytes.load())));
    }

    void inlineRouteAnsweredWhileHandlersBlock()
    {
        HttpServerOptions options = smallOptions();
        options.threads = 1;
        // Answers /health itself; passes the rest on to the handler threads.
        options.inlineHandler = [this](HttpExchange& exchange) {
            if (exchange.path() != "/health")
                return false;
            handle(exchange);
            return true;
        };
        auto server = startServer(options);
        QVERIFY(server);
        const quint16 port = quint16(server->port());
        RawResponse slow;
        std::thread client([&] { slow = RawHttp::get(port, "/block"); });
        {
            std::unique_lock lock(m_mutex);
            QVERIFY(m_changed.wait_for(lock, std::chrono::seconds(10),
                                       [this] { return m_blocked == 1; }));
        }
        // The only handler thread is taken; /health still answers, on an I/O
        // thread with its own stated stack.
        QCOMPARE(RawHttp::get(port, "/health").status, 200);
        QVERIFY(m_stackBytes.load() >= HttpServer::kIoStackBytes);
        QVERIFY(m_stackBytes.load() < HttpServer::kHandlerStackBytes);
        release();
        client.join();
        QCOMPARE(slow.status, 200);
    }

    void stopAnswersRequestsInProgress()
    {
        auto server = startServer(smallOptions());
        QVERIFY(server);
        const quint16 port = quint16(server->port());
        RawResponse slow;
        std::thread client([&] { slow = RawHttp::get(port, "/block"); });
        {
            std::unique_lock lock(m_mutex);
            QVERIFY(m_changed.wait_for(lock, std::chrono::seconds(10),
                                       [this] { return m_blocked == 1; }));
        }
        std::thread stopper([&] { server->stop(); });
        QTRY_VERIFY_WITH_TIMEOUT(!server->isRunning(), 10000);
        release();
        stopper.join();
        client.join();
        QCOMPARE(slow.status, 200);
        QCOMPARE(RawHttp::get(port, "/ok").status, 0); // no longer listening
    }
};

QTEST_GUILESS_MAIN(HttpServerTest)
#include "tst_httpserver.moc"
