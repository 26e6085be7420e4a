#include "RedisTestServer.h"
#include "ServeProcess.h"
#include "backend/redis/RedisAddress.h"
#include "backend/redis/RedisConnection.h"
#include "backend/redis/RedisPool.h"

#include <QTest>
#include <arpa/inet.h>
#include <atomic>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace querydeck;
using namespace querydeck::test;

namespace {

// A TCP server on loopback that answers every connection like a web server
// would, to check the client says "not Redis" instead of hanging.
class NotRedisServer
{
public:
    NotRedisServer()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(m_fd, 8);
        socklen_t length = sizeof address;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length);
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] {
            while (!m_stop) {
                const int client = ::accept(m_fd, nullptr, nullptr);
                if (client < 0)
                    break;
                static const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
                (void)!::write(client, reply, sizeof reply - 1);
                ::close(client);
            }
        });
    }
    ~NotRedisServer()
    {
        m_stop = true;
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
        m_thread.join();
    }
    quint16 port() const { return m_port; }

private:
    int m_fd = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

} // namespace

class TestRedisConnection : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString error = m_redis.start({QStringLiteral("enable-debug-command local")});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString authError = m_locked.start({QStringLiteral("requirepass s3cret-pass")});
        QVERIFY2(authError.isEmpty(), qPrintable(authError));
    }
    void cleanupTestCase()
    {
        m_redis.stop();
        m_locked.stop();
    }

    void parsesUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<int>("db");
        QTest::newRow("full") << "redis://cache.example:6380/3"
                              << "cache.example" << 6380 << 3;
        QTest::newRow("no db") << "redis://127.0.0.1:7000"
                               << "127.0.0.1" << 7000 << 0;
        QTest::newRow("no port") << "redis://localhost/2"
                                 << "localhost" << 6379 << 2;
        QTest::newRow("trailing slash") << "redis://h:1/"
                                        << "h" << 1 << 0;
        QTest::newRow("ipv6") << "redis://[::1]:6390/1"
                              << "::1" << 6390 << 1;
        QTest::newRow("scheme case") << "REDIS://h:2/0"
                                     << "h" << 2 << 0;
    }
    void parsesUrls()
    {
        QFETCH(QString, url);
        const auto parsed = RedisAddressParser::parseUrl(url);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(int, db);
        QCOMPARE(parsed.address.host, host);
        QCOMPARE(parsed.address.port, port);
        QCOMPARE(parsed.address.db, db);
    }

    void refusesBadUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << ""
                               << "empty Redis URL";
        QTest::newRow("spaces") << "   "
                                << "empty Redis URL";
        QTest::newRow("http") << "http://h:1/0"
                              << "does not start with redis://";
        QTest::newRow("tls") << "rediss://h:1/0"
                             << "rediss:// (TLS) is not supported";
        QTest::newRow("port word") << "redis://h:abc/0"
                                   << "port \"abc\" is not a number";
        QTest::newRow("port zero") << "redis://h:0/0"
                                   << "port \"0\" is not a number from 1 to 65535";
        QTest::newRow("port big") << "redis://h:70000"
                                  << "port \"70000\"";
        QTest::newRow("port empty") << "redis://h:/0"
                                    << "empty port";
        QTest::newRow("no host") << "redis://:6379/0"
                                 << "missing host";
        QTest::newRow("bad host") << "redis://ho st:1/0"
                                  << "is not a host name";
        QTest::newRow("db word") << "redis://h:1/x"
                                 << "database \"x\" is not a number";
        QTest::newRow("db negative") << "redis://h:1/-1"
                                     << "database \"-1\"";
        QTest::newRow("query") << "redis://h:1/0?timeout=1"
                               << "query parameters";
        QTest::newRow("bare ipv6") << "redis://::1:6379"
                                   << "in brackets";
        QTest::newRow("open bracket") << "redis://[::1:6379"
                                      << "missing ]";
        QTest::newRow("huge") << "redis://" + QString(5000, u'h') << "the limit is 1024";
    }
    void refusesBadUrls()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        const auto parsed = RedisAddressParser::parseUrl(url);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error.contains(expected), qPrintable(parsed.error));
    }

    void refusesPasswordInUrlWithoutEchoingIt()
    {
        for (const QString& url : {QStringLiteral("redis://:hunter2@h:1/0"),
                                   QStringLiteral("redis://user:hunter2@h:1/0"),
                                   QStringLiteral("http://:hunter2@h:1/0")}) {
            const auto parsed = RedisAddressParser::parseUrl(url);
            QVERIFY(!parsed.ok());
            QVERIFY2(!parsed.error.contains(QLatin1String("hunter2")), qPrintable(parsed.error));
            if (url.startsWith(QLatin1String("redis")))
                QVERIFY2(parsed.error.contains(QLatin1String("keychain")),
                         qPrintable(parsed.error));
        }
    }

    void parsesSentinelLists()
    {
        const auto list = RedisAddressParser::parseList(QStringLiteral("a:1, b ,[::1]:3"), 26379);
        QVERIFY2(list.ok(), qPrintable(list.error));
        QCOMPARE(list.addresses.size(), std::size_t(3));
        QCOMPARE(list.addresses[1].port, 26379);
        QCOMPARE(list.addresses[2].host, QStringLiteral("::1"));
        const auto bad = RedisAddressParser::parseList(QStringLiteral("a:1,,b:2"), 26379);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error.startsWith(QLatin1String("address 2:")), qPrintable(bad.error));
        QVERIFY(!RedisAddressParser::parseList(QString(), 26379).ok());
    }

    void commandsRoundTripBinaryKeysAndHugeValues()
    {
        QString error;
        auto connection = RedisConnection::connect(m_redis.endpoint(), &error);
        QVERIFY2(connection, qPrintable(error));
        const QByteArray key("bin\0key\xff\r\n", 11);
        QByteArray value(16 * 1024 * 1024, Qt::Uninitialized);
        for (qsizetype i = 0; i < value.size(); ++i)
            value[i] = char(i * 131 % 256);
        QVERIFY(connection->command({"SET", key, value}).ok());
        const RedisReply got = connection->command({"GET", key});
        QCOMPARE(got.type, RedisReply::Type::String);
        QCOMPARE(got.text.size(), value.size());
        QVERIFY(got.text == value);
        QVERIFY(connection->command({"GET", "missing-key"}).isNil());
        const RedisReply wrong = connection->command({"INCR", key});
        QVERIFY(wrong.isError());
        QVERIFY(!connection->isBroken()); // a Redis error is an answer, not a broken link
        const auto replies = connection->pipeline({{"SET", "p", "1"}, {"INCR", "p"}, {"GET", "p"}});
        QCOMPARE(replies.size(), std::size_t(3));
        QCOMPARE(replies[1].integer, 2);
        QCOMPARE(replies[2].text, QByteArray("2"));
    }

    void selectsTheDatabase()
    {
        QString error;
        auto db3 = RedisConnection::connect(m_redis.endpoint(3), &error);
        QVERIFY2(db3, qPrintable(error));
        QVERIFY(db3->command({"SET", "only-in-3", "yes"}).ok());
        auto db0 = RedisConnection::connect(m_redis.endpoint(0), &error);
        QVERIFY(db0->command({"GET", "only-in-3"}).isNil());
        RedisEndpoint bad = m_redis.endpoint(99999);
        QVERIFY(!RedisConnection::connect(bad, &error));
        QVERIFY2(error.contains(QLatin1String("cannot select database 99999")), qPrintable(error));
    }

    void wrongPasswordIsNamed()
    {
        QString error;
        RedisEndpoint e = m_locked.endpoint();
        QVERIFY2(RedisConnection::connect(e, &error), qPrintable(error));
        e.password = "not-the-pass-123";
        QVERIFY(!RedisConnection::connect(e, &error));
        QVERIFY2(error.contains(QLatin1String("authentication failed")), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1String("not-the-pass-123")), qPrintable(error));
        e.password.clear();
        QVERIFY(!RedisConnection::connect(e, &error));
        QVERIFY2(error.contains(QLatin1String("needs a password")), qPrintable(error));
    }

    void wrongPortIsNamed()
    {
        RedisEndpoint e = m_redis.endpoint();
        e.address.port = ServeProcess::freePort();
        QString error;
        QVERIFY(!RedisConnection::connect(e, &error));
        QVERIFY2(error.contains(QString::number(e.address.port)), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("refused"), Qt::CaseInsensitive), qPrintable(error));
    }

    void notRedisIsNamed()
    {
        NotRedisServer http;
        RedisEndpoint e = m_redis.endpoint();
        e.address.port = http.port();
        QString error;
        QVERIFY(!RedisConnection::connect(e, &error));
        QVERIFY2(error.contains(QLatin1String("not a Redis server")) ||
                     error.contains(QLatin1String("closed the connection")),
                 qPrintable(error));
    }

    void commandTimeoutBreaksTheConnection()
    {
        RedisEndpoint e = m_redis.endpoint();
        e.commandTimeoutMs = 200;
        QString error;
        auto connection = RedisConnection::connect(e, &error);
        QVERIFY2(connection, qPrintable(error));
        const RedisReply slow = connection->command({"DEBUG", "SLEEP", "1"});
        if (slow.isError() && slow.text.contains("DEBUG command not allowed"))
            QFAIL("redis-server refuses DEBUG; the timeout cannot be exercised");
        QVERIFY(slow.isFailed());
        QVERIFY2(slow.text.contains("timed out"), slow.text.constData());
        QVERIFY(connection->isBroken());
        QVERIFY(connection->command({"PING"}).isFailed());
    }

    void poolServesManyThreads()
    {
        RedisPoolOptions options;
        options.endpoint = m_redis.endpoint();
        RedisPool pool(std::make_shared<FixedMasterLocator>(options.endpoint.address), options);
        QVERIFY(pool.run({"DEL", "counter"}).ok());
        std::vector<std::thread> threads;
        std::atomic<int> failures{0};
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 200; ++i)
                    if (!pool.run({"INCR", "counter"}).ok())
                        ++failures;
            });
        for (auto& t : threads)
            t.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(pool.run({"GET", "counter"}).text, QByteArray("1600"));
    }

    void poolBacksOffAndRecovers()
    {
        RedisTestServer redis;
        QString error = redis.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        RedisPoolOptions options;
        options.endpoint = redis.endpoint();
        options.backoffMinMs = 50;
        options.backoffMaxMs = 200;
        RedisPool pool(std::make_shared<FixedMasterLocator>(options.endpoint.address), options);
        QVERIFY(pool.run({"PING"}).ok());
        QVERIFY(pool.available());
        redis.kill();
        QVERIFY(pool.run({"PING"}).isFailed());
        QVERIFY(!pool.available());
        QVERIFY2(pool.lastError().contains(QString::number(redis.port())),
                 qPrintable(pool.lastError()));
        // While backing off, callers fail at once instead of waiting on a dead
        // server. Shown on a second pool whose backoff is a minute, so no probe
        // can fall due during the loop: each call must be refused on the pool's
        // word ("redis unavailable: ..."), the only answer given without a
        // connection attempt (an attempt answers with the connect error).
        {
            RedisPoolOptions patient = options;
            patient.backoffMinMs = 60000;
            patient.backoffMaxMs = 60000;
            RedisPool waiting(std::make_shared<FixedMasterLocator>(options.endpoint.address),
                              patient);
            QVERIFY(waiting.run({"PING"}).isFailed()); // the failure that starts the backoff
            QVERIFY(!waiting.available());
            for (int i = 0; i < 100; ++i) {
                const RedisReply reply = waiting.run({"PING"});
                QVERIFY(reply.isFailed());
                QVERIFY2(reply.errorText().startsWith(QLatin1String("redis unavailable: ")),
                         qPrintable(reply.errorText()));
            }
        }
        // The short backoff of `pool` runs out by itself and a probe recovers.
        error = redis.restart();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(pool.run({"PING"}).ok(), 5000);
        QVERIFY(pool.available());
        QCOMPARE(pool.reconnects(), 1);
    }

private:
    RedisTestServer m_redis;
    RedisTestServer m_locked;
};

QTEST_GUILESS_MAIN(TestRedisConnection)
#include "tst_redisconnection.moc"
