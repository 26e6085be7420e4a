// TrafficGenerator: the question mix on its own, then over real HTTP against
// an in-process QueryService (bundled test corpus, free loopback port): the
// rate is kept, every request succeeds, repeats and rewordings show up as
// exact and semantic cache hits in the service's metrics, stats() is
// rate-limited, and a slow service is not flooded.
#include "FixtureHttpServer.h"
#include "ManualClock.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/service/QueryService.h"
#include "backend/service/ServiceMetrics.h"
#include "backend/sources/RegistrySource.h"
#include "backend/traffic/TrafficGenerator.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <memory>
#include <prometheus/registry.h>

using namespace querydeck;
using namespace std::chrono_literals;

namespace {

double lookups(QueryService& service, const QString& result)
{
    RegistrySource source(service.metrics().registry());
    double value = 0;
    QObject::connect(&source, &MetricSource::finished, [&](const SourceResult& r) {
        for (const Sample& sample : r.samples) {
            if (sample.key.name == QLatin1String("querydeck_cache_lookups_total") &&
                sample.key.label(QStringLiteral("result")) == result)
                value = sample.value;
        }
    });
    source.poll();
    return value;
}

} // namespace

class TrafficGeneratorTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QueryService> m_service;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<SourceResult>();
        QVERIFY(m_dir.isValid());
        ServiceConfig config;
        config.http.host = QStringLiteral("127.0.0.1");
        config.http.port = 0;
        config.http.replicaId = QStringLiteral("traffic-test");
        config.rateLimit.enabled = false;
        config.corpus.path = QStringLiteral(QUERYDECK_TEST_DATA "/corpus-small");
        config.corpus.indexDir = m_dir.filePath(QStringLiteral("index"));
        m_service = std::make_unique<QueryService>(config, std::make_shared<KeychainSecretStore>());
        const QString error = m_service->start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(m_service->waitUntilReady(60s), "service not ready");
        QVERIFY(m_service->port() > 0);
    }

    void cleanupTestCase()
    {
        if (m_service)
            m_service->stop();
    }

    void bundledQuestions()
    {
        const QStringList questions = TrafficGenerator::loadQuestions();
        QVERIFY2(questions.size() >= 100, qPrintable(QString::number(questions.size())));
        for (const QString& q : questions)
            QVERIFY(!q.trimmed().isEmpty());
        QVERIFY(TrafficGenerator::loadQuestions(QStringLiteral("/nonexistent/questions.txt"))
                    .isEmpty());
    }

    void questionMix()
    {
        QStringList list;
        for (int i = 0; i < 500; ++i)
            list << QStringLiteral("How do I check item number %1?").arg(i);
        TrafficGenerator generator;
        generator.setSeed(7);
        generator.setQuestions(list);
        const QSet<QString> original(list.cbegin(), list.cend());
        QSet<QString> asked;
        int repeats = 0;
        int fresh = 0;
        int reworded = 0;
        const int total = 2000;
        for (int i = 0; i < total; ++i) {
            const QString q = generator.nextQuestion();
            QVERIFY(!q.trimmed().isEmpty());
            if (asked.contains(q))
                ++repeats;
            else if (original.contains(q))
                ++fresh;
            else
                ++reworded;
            asked.insert(q);
        }
        // 50 / 25 / 25, give or take (a rewording can equal an earlier one).
        QVERIFY2(repeats > total * 0.45 && repeats < total * 0.62,
                 qPrintable(QString::number(repeats)));
        QVERIFY2(fresh > total * 0.18 && fresh < total * 0.30, qPrintable(QString::number(fresh)));
        QVERIFY2(reworded > total * 0.12 && reworded < total * 0.30,
                 qPrintable(QString::number(reworded)));
    }

    void rewordKeepsTheQuestionRecognisable_data()
    {
        QTest::addColumn<QString>("question");
        QTest::newRow("plain") << "How do I drain a replica?";
        QTest::newRow("lower, no mark") << "how do i drain a replica";
        QTest::newRow("polite") << "What is the default drain timeout, please?";
        QTest::newRow("one word") << "alerts";
    }

    void rewordKeepsTheQuestionRecognisable()
    {
        QFETCH(QString, question);
        TrafficGenerator generator;
        generator.setSeed(11);
        for (int i = 0; i < 50; ++i) {
            const QString edited = generator.reword(question);
            QVERIFY2(edited != question, qPrintable(edited));
            // A small edit: the length changes by at most a few words.
            QVERIFY2(std::abs(edited.size() - question.size()) <= 10, qPrintable(edited));
        }
    }

    void drivesTheServiceAtTheRate()
    {
        const double exactBefore = lookups(*m_service, QStringLiteral("exact"));
        const double semanticBefore = lookups(*m_service, QStringLiteral("semantic"));

        // The rate is paced by the generator's clock: a manual one here, so
        // each simulated second owes exactly 20 requests, whatever the load.
        ManualClock clock;
        TrafficGenerator generator;
        generator.setSeed(3);
        generator.setTarget(QUrl(m_service->address()));
        generator.setRate(20);
        generator.setMaxConcurrent(64); // a second's worth fits: no tick is dropped
        generator.setClock(clock.clock());
        QSignalSpy stats(&generator, &TrafficGenerator::stats);
        generator.start();
        quint64 expected = 0;
        const auto oneSecond = [&] {
            clock.advance(1000);
            expected += 20;
            // Exactly the 20 owed: QTRY_COMPARE passes on equality, and the
            // next second's check would see any extra as an overshoot.
            QTRY_COMPARE_WITH_TIMEOUT(generator.sent(), expected, 15000);
            QTRY_COMPARE_WITH_TIMEOUT(generator.inFlight(), 0, 15000);
        };
        for (int second = 1; second <= 3; ++second) {
            oneSecond();
            if (QTest::currentTestFailed())
                return;
            // The counts moved, so the next stats period reports them.
            QTRY_VERIFY_WITH_TIMEOUT(stats.size() >= second, 10000);
        }

        // Keep going until the rewordings have produced a semantic hit (at
        // most 20 simulated seconds, the real-time test's bound).
        for (int second = 0;
             second < 20 && lookups(*m_service, QStringLiteral("semantic")) <= semanticBefore;
             ++second) {
            oneSecond();
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY(lookups(*m_service, QStringLiteral("semantic")) > semanticBefore);
        generator.stop();
        QCOMPARE(generator.sent(), expected);
        QCOMPARE(generator.failed(), quint64(0));
        QCOMPARE(generator.succeeded(), generator.sent());
        QVERIFY(lookups(*m_service, QStringLiteral("exact")) > exactBefore);

        // The last stats() carries the final counts.
        QTRY_COMPARE(stats.last().at(0).value<quint64>(), generator.sent());
        QCOMPARE(stats.last().at(1).value<quint64>(), generator.succeeded());
        // At most one report per period: they come from one repeating timer of
        // kStatsIntervalMs (plus the one stop() sends).
        int statsTimers = 0;
        for (const QTimer* timer : generator.findChildren<QTimer*>())
            statsTimers +=
                timer->interval() == TrafficGenerator::kStatsIntervalMs && !timer->isSingleShot();
        QCOMPARE(statsTimers, 1);
        QCOMPARE(TrafficGenerator::kStatsIntervalMs, 1000);

        qInfo("sent %llu in %llu simulated s; cache hits: exact +%g, semantic +%g",
              (unsigned long long)generator.sent(), (unsigned long long)expected / 20,
              lookups(*m_service, QStringLiteral("exact")) - exactBefore,
              lookups(*m_service, QStringLiteral("semantic")) - semanticBefore);
        // New questions missed the cache.
        QVERIFY(lookups(*m_service, QStringLiteral("miss")) > 0);
    }

    void slowServiceIsNotFlooded()
    {
        FixtureHttpServer slow;
        FixtureResponse answer = FixtureResponse::json(200, QJsonObject{{"answer", "late"}});
        answer.delay = 1500ms;
        slow.setHandler("POST", "/v1/query", [answer](const FixtureRequest&) { return answer; });
        QVERIFY(slow.start());

        TrafficGenerator generator;
        generator.setMaxConcurrent(4);
        generator.setTarget(slow.url());
        generator.setRate(100);
        generator.start();
        QTRY_COMPARE_WITH_TIMEOUT(generator.inFlight(), 4, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(generator.succeeded() >= 4, 10000);
        // 100/s for 1.5 s would be 150 requests; the cap allows the first four
        // and, as they return, the next four.
        QVERIFY2(generator.sent() <= 9, qPrintable(QString::number(generator.sent())));
        generator.stop();

        const QList<FixtureRequest> requests = slow.requests();
        QVERIFY(!requests.isEmpty());
        const QJsonObject body = QJsonDocument::fromJson(requests.first().body).object();
        QVERIFY(!body.value(QLatin1String("query")).toString().isEmpty());
        QVERIFY(
            body.value(QLatin1String("client")).toString().startsWith(QLatin1String("traffic-")));
        QCOMPARE(requests.first().header("Content-Type"), QByteArray("application/json"));
        QVERIFY(slow.connectionCount() <= 6); // keep-alive: connections reused
    }

    // Each simulated client is its own address when asked, so a service that
    // trusts the generator rate-limits them apart; off by default.
    void simulatedClientsAreForwardedAsAddresses()
    {
        FixtureHttpServer service;
        service.setHandler("POST", "/v1/query", [](const FixtureRequest&) {
            return FixtureResponse::json(200, QJsonObject{{"answer", "ok"}});
        });
        QVERIFY(service.start());

        for (const bool forwarded : {false, true}) {
            TrafficGenerator generator;
            generator.setSeed(7);
            generator.setTarget(service.url());
            generator.setForwardedFor(forwarded);
            generator.setRate(200);
            const qsizetype before = service.requests().size();
            generator.start();
            QTRY_VERIFY_WITH_TIMEOUT(generator.succeeded() >= 20, 10000);
            generator.stop();

            const QList<FixtureRequest> requests = service.requests().mid(before);
            QSet<QByteArray> addresses;
            for (const FixtureRequest& request : requests) {
                const QByteArray header = request.header("X-Forwarded-For");
                if (!forwarded) {
                    QVERIFY2(header.isEmpty(), header.constData());
                    continue;
                }
                const QString client = request.json().value(QLatin1String("client")).toString();
                QVERIFY(client.startsWith(QLatin1String("traffic-")));
                const int n = client.mid(8).toInt();
                QCOMPARE(header, TrafficGenerator::simulatedAddress(n));
                QVERIFY2(QHostAddress(QString::fromLatin1(header))
                             .isInSubnet(QHostAddress(QStringLiteral("198.18.0.0")), 15),
                         header.constData());
                addresses.insert(header);
            }
            if (forwarded)
                QVERIFY2(addresses.size() >= 2, "one address for every simulated client");
        }
        QCOMPARE(TrafficGenerator::simulatedAddress(1), QByteArray("198.18.0.1"));
        QCOMPARE(TrafficGenerator::simulatedAddress(300), QByteArray("198.18.1.44"));
    }

    void unreachableTargetCountsFailures()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            port = probe.serverPort();
        }
        TrafficGenerator generator;
        generator.setTarget(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
        generator.setRate(50);
        QSignalSpy stats(&generator, &TrafficGenerator::stats);
        generator.start();
        QTRY_VERIFY_WITH_TIMEOUT(generator.failed() >= 5, 5000);
        generator.stop();
        QTRY_COMPARE_WITH_TIMEOUT(generator.inFlight(), 0, 5000);
        QCOMPARE(generator.succeeded(), quint64(0));
        QTRY_VERIFY(!stats.isEmpty());
        QCOMPARE(stats.last().at(2).value<quint64>(), generator.failed());
    }

    void hostileRates()
    {
        TrafficGenerator generator;
        generator.setRate(-5);
        QCOMPARE(generator.rate(), 0.0);
        generator.setRate(std::numeric_limits<double>::quiet_NaN());
        QCOMPARE(generator.rate(), 0.0);
        generator.setRate(1e9);
        QCOMPARE(generator.rate(), 1000.0);
        generator.setQuestions({});
        QVERIFY(!generator.nextQuestion().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TrafficGeneratorTest)
#include "tst_trafficgenerator.moc"
