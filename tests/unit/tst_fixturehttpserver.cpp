#include "FixtureHttpServer.h"

#include <QTcpSocket>
#include <QtTest>

using namespace querydeck;
using namespace std::chrono_literals;

namespace {

// Sends raw bytes and reads until the server closes or `responses` complete
// responses (by Content-Length) have arrived.
QByteArray exchange(quint16 port, const QByteArray& bytes, int responses = 1)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(2000))
        return "connect failed";
    socket.write(bytes);
    QByteArray received;
    QDeadlineTimer deadline(3000);
    while (!deadline.hasExpired()) {
        if (received.count("HTTP/1.1 ") >= responses) {
            const qsizetype last = received.lastIndexOf("HTTP/1.1 ");
            const qsizetype headerEnd = received.indexOf("\r\n\r\n", last);
            const qsizetype lengthAt = received.indexOf("Content-Length: ", last);
            if (headerEnd > 0 && lengthAt > 0) {
                const qsizetype length =
                    received.mid(lengthAt + 16, received.indexOf("\r\n", lengthAt) - lengthAt - 16)
                        .toLongLong();
                if (received.size() >= headerEnd + 4 + length)
                    break;
            }
        }
        if (!socket.waitForReadyRead(100) && socket.state() != QAbstractSocket::ConnectedState)
            break;
        received += socket.readAll();
    }
    return received + socket.readAll();
}

} // namespace

class TestFixtureHttpServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_server.start(), qPrintable(m_server.errorString())); }
    void init() { m_server.reset(); }

    void listensOnLoopbackWithAFreePort()
    {
        QVERIFY(m_server.port() > 0);
        QCOMPARE(m_server.url("/x").host(), QString("127.0.0.1"));
        FixtureHttpServer other;
        QVERIFY(other.start());
        QVERIFY(other.port() != m_server.port());
    }

    void queueThenHandlerThen404()
    {
        m_server.enqueue("GET", "/r", FixtureResponse::text(201, "first"));
        m_server.setHandler("GET", "/r", [](const FixtureRequest& request) {
            return FixtureResponse::text(200, "handler saw " + request.query);
        });
        const QByteArray first = exchange(m_server.port(), "GET /r HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY2(first.startsWith("HTTP/1.1 201 Created\r\n"), first.constData());
        QVERIFY(first.endsWith("first"));
        const QByteArray second =
            exchange(m_server.port(), "GET /r?a=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY2(second.endsWith("handler saw a=1"), second.constData());
        const QByteArray unscripted = exchange(m_server.port(), "DELETE /r HTTP/1.1\r\n\r\n");
        QVERIFY(unscripted.startsWith("HTTP/1.1 404"));
        QVERIFY2(unscripted.contains("no response scripted for DELETE /r"), unscripted.constData());
    }

    void recordsRequestsWithBodies()
    {
        m_server.enqueue("POST", "/hook", FixtureResponse::json(202, {{"ok", true}}));
        const QByteArray reply =
            exchange(m_server.port(), "POST /hook?x=y HTTP/1.1\r\nHost: a\r\nX-Sig: "
                                      "abc\r\nContent-Length: 9\r\n\r\n{\"a\": 1}\n");
        QVERIFY2(reply.startsWith("HTTP/1.1 202"), reply.constData());
        const QList<FixtureRequest> requests = m_server.requests();
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests[0].method, QByteArray("POST"));
        QCOMPARE(requests[0].path, QByteArray("/hook"));
        QCOMPARE(requests[0].query, QByteArray("x=y"));
        QCOMPARE(requests[0].header("x-sig"), QByteArray("abc"));
        QCOMPARE(requests[0].json().value("a").toInt(), 1);
    }

    void pipelinedRequestsOnOneConnection()
    {
        m_server.setHandler("GET", "/n", [](const FixtureRequest& request) {
            return FixtureResponse::text(200, request.query);
        });
        const QByteArray replies = exchange(
            m_server.port(),
            "GET /n?1 HTTP/1.1\r\n\r\nGET /n?2 HTTP/1.1\r\n\r\nGET /n?3 HTTP/1.1\r\n\r\n", 3);
        QCOMPARE(replies.count("HTTP/1.1 200"), 3);
        QVERIFY(replies.indexOf("\r\n\r\n1") < replies.indexOf("\r\n\r\n2"));
        QVERIFY(replies.indexOf("\r\n\r\n2") < replies.indexOf("\r\n\r\n3"));
        QCOMPARE(m_server.connectionCount(), 1);
    }

    void malformedRequests_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("status");
        QTest::newRow("bad request line") << QByteArray("NONSENSE\r\n\r\n") << QByteArray("400");
        QTest::newRow("bad length")
            << QByteArray("POST /x HTTP/1.1\r\nContent-Length: -3\r\n\r\n") << QByteArray("400");
        QTest::newRow("chunked body")
            << QByteArray(
                   "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n")
            << QByteArray("411");
        QTest::newRow("huge headers")
            << "GET /x HTTP/1.1\r\nX: " + QByteArray(70 * 1024, 'a') << QByteArray("431");
    }
    void malformedRequests()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, status);
        const QByteArray reply = exchange(m_server.port(), request);
        QVERIFY2(reply.startsWith("HTTP/1.1 " + status), reply.left(200).constData());
        QCOMPARE(m_server.requestCount(), 0);
    }

    void closeWithoutReply()
    {
        m_server.enqueue("GET", "/drop", FixtureResponse::dropConnection());
        QCOMPARE(exchange(m_server.port(), "GET /drop HTTP/1.1\r\n\r\n"), QByteArray());
        QCOMPARE(m_server.requestCount(), 1);
    }

    void stopsWithRequestsInFlight()
    {
        FixtureHttpServer server;
        QVERIFY(server.start());
        FixtureResponse slow = FixtureResponse::text(200, "late");
        slow.delay = 10000ms;
        server.enqueue("GET", "/slow", slow);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(socket.waitForConnected(2000));
        socket.write("GET /slow HTTP/1.1\r\n\r\n");
        QVERIFY(socket.waitForBytesWritten(1000));
        QTRY_COMPARE(server.requestCount(), 1);
        server.stop();
        // Had stop() waited for the delayed reply, the reply would have been
        // written before the connection was cut, and read here before the
        // disconnect: an empty read after it proves stop() did not wait.
        QVERIFY(socket.state() == QAbstractSocket::UnconnectedState ||
                socket.waitForDisconnected(10000));
        QVERIFY(socket.readAll().isEmpty());
    }

    void cleanupTestCase() { m_server.stop(); }

private:
    FixtureHttpServer m_server;
};

QTEST_GUILESS_MAIN(TestFixtureHttpServer)
#include "tst_fixturehttpserver.moc"
