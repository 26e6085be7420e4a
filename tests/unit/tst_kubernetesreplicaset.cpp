#include "FixtureHttpServer.h"
#include "KubeFixture.h"
#include "backend/fleet/KubernetesReplicaSet.h"
#include "backend/secrets/KeychainSecretStore.h"

#include <QtTest>
#include <limits>

using namespace querydeck;
using namespace std::chrono_literals;

class TestKubernetesReplicaSet : public QObject
{
    Q_OBJECT

private:
    FixtureHttpServer m_server;
    KubeFixture m_kube{m_server};
    KeychainSecretStore m_secrets;

    KubernetesConfig config() const { return m_kube.config(); }

    static QString waitError(QSignalSpy& spy, int errorArg = 1)
    {
        if (spy.isEmpty() && !spy.wait(5000))
            return QStringLiteral("<no signal>");
        return spy.first().at(errorArg).toString();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("QD_TEST_KUBE_TOKEN", KubeFixture::kToken);
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    }
    void cleanupTestCase() { m_server.stop(); }
    void init()
    {
        m_server.reset();
        m_kube.setReplicas(0);
        m_kube.setReadyAfterPolls(0);
        m_kube.setPodsNeverReady(false);
        m_kube.setHpa(false);
        m_kube.setReplicas(3);
        m_kube.install();
    }

    void refreshReadsScaleAndPods()
    {
        KubernetesReplicaSet set(config(), &m_secrets);
        QCOMPARE(set.kind(), QString("kubernetes"));
        QCOMPARE(set.desiredCount(), -1);
        QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
        QSignalSpy changed(&set, &ReplicaSet::replicasChanged);
        set.refresh();
        QVERIFY(refreshed.wait(5000));
        QVERIFY2(refreshed.first().at(0).toBool(), qPrintable(refreshed.first().at(1).toString()));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(set.desiredCount(), 3);
        const QList<ReplicaInfo> pods = set.replicas();
        QCOMPARE(pods.size(), 3);
        for (const ReplicaInfo& pod : pods) {
            QVERIFY(m_kube.podNames().contains(pod.id));
            QCOMPARE(pod.state, ReplicaState::Ready);
            QVERIFY(pod.address.startsWith("10.0.0."));
            QCOMPARE(pod.restarts, 1);
            QVERIFY(pod.startedAt.isValid());
        }
        const QList<FixtureRequest> requests = m_server.requests();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests[0].path, m_kube.scalePath());
        QCOMPARE(requests[1].path, m_kube.podsPath());
        QCOMPARE(requests[1].query, QByteArray("labelSelector=app%3Dquerydeck,tier%3Dapi"));
        for (const FixtureRequest& r : requests)
            QCOMPARE(r.header("Authorization"), QByteArray("Bearer ") + KubeFixture::kToken);
    }

    void scaleUpPatchesAndWaitsForReadiness()
    {
        m_kube.setReadyAfterPolls(3);
        KubernetesReplicaSet set(config(), &m_secrets);
        QSignalSpy finished(&set, &ReplicaSet::scaleFinished);
        QSignalSpy events(&set, &ReplicaSet::event);
        set.scale(5);
        QVERIFY(finished.wait(5000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(m_kube.replicas(), 5);
        QCOMPARE(set.desiredCount(), 5);
        QCOMPARE(set.replicas().size(), 5);
        for (const ReplicaInfo& pod : set.replicas())
            QCOMPARE(pod.state, ReplicaState::Ready);
        const auto patch =
            std::find_if(m_server.requests().cbegin(), m_server.requests().cend(),
                         [](const FixtureRequest& r) { return r.method == "PATCH"; });
        const QList<FixtureRequest> requests = m_server.requests();
        const FixtureRequest* patchRequest = nullptr;
        for (const FixtureRequest& r : requests)
            if (r.method == "PATCH")
                patchRequest = &r;
        Q_UNUSED(patch);
        QVERIFY(patchRequest);
        QCOMPARE(patchRequest->header("Content-Type"), QByteArray("application/merge-patch+json"));
        QCOMPARE(patchRequest->json(), (QJsonObject{{"spec", QJsonObject{{"replicas", 5}}}}));
        // It polled until the new pods were ready (more than one pod list).
        int podLists = 0;
        for (const FixtureRequest& r : requests)
            podLists += r.path == m_kube.podsPath() ? 1 : 0;
        QVERIFY2(podLists >= 3, qPrintable(QString::number(podLists)));
        QStringList lines;
        for (const auto& e : events)
            lines << e.at(0).toString();
        QVERIFY2(lines.join('\n').contains("every requested replica is ready"),
                 qPrintable(lines.join('\n')));
    }

    void scaleGivesUpWhenPodsNeverReady()
    {
        m_kube.setPodsNeverReady(true);
        KubernetesConfig c = config();
        c.scaleTimeoutMs = 1000;
        KubernetesReplicaSet set(c, &m_secrets);
        QSignalSpy finished(&set, &ReplicaSet::scaleFinished);
        set.scale(4);
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        const QString error = finished.first().at(1).toString();
        QVERIFY2(error.contains("0 of 4 replicas ready after 1 s"), qPrintable(error));
        QCOMPARE(set.lastError(), error);
    }

    void scaleRejectsOutOfRange()
    {
        KubernetesReplicaSet set(config(), &m_secrets);
        QSignalSpy finished(&set, &ReplicaSet::scaleFinished);
        set.scale(-1);
        QCOMPARE(finished.count(), 1);
        QVERIFY(finished.first().at(1).toString().contains("out of range"));
        QCOMPARE(m_server.requestCount(), 0);
    }

    void hpaConflict()
    {
        KubernetesReplicaSet set(config(), &m_secrets);
        QSignalSpy checked(&set, &KubernetesReplicaSet::hpaChecked);
        set.checkHpa();
        QVERIFY(checked.wait(5000));
        QCOMPARE(checked.first().at(0).toString(),
                 QString()); // other-hpa targets another deployment
        QCOMPARE(checked.first().at(1).toString(), QString());

        m_kube.setHpa(true);
        checked.clear();
        set.checkHpa();
        QVERIFY(checked.wait(5000));
        const QString warning = checked.first().at(0).toString();
        QVERIFY2(warning.contains("\"querydeck-hpa\"") && warning.contains("override") &&
                     warning.contains("min 2, max 10"),
                 qPrintable(warning));
    }

    void manualScaleWarnsAboutHpa()
    {
        m_kube.setHpa(true);
        KubernetesReplicaSet set(config(), &m_secrets);
        QSignalSpy events(&set, &ReplicaSet::event);
        QSignalSpy finished(&set, &ReplicaSet::scaleFinished);
        set.scale(4);
        QVERIFY(finished.wait(5000));
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(),
                                             [](const QList<QVariant>& e) {
                                                 return e.at(0).toString().contains(
                                                     "will override");
                                             }),
                                 5000);
    }

    void apiErrors_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("expected");
        QTest::newRow("403 on read")
            << QByteArray("GET") << 403
            << "forbids GET deployment prod/querydeck scale (403 Forbidden): "
               "deployments.apps \"querydeck\" is forbidden";
        QTest::newRow("404 on read")
            << QByteArray("GET") << 404 << "deployment prod/querydeck scale not found (404)";
        QTest::newRow("409 on patch")
            << QByteArray("PATCH") << 409 << "conflict on deployment prod/querydeck scale (409)";
        QTest::newRow("500 on patch") << QByteArray("PATCH") << 500 << "failed with HTTP 500";
    }

    void apiErrors()
    {
        QFETCH(QByteArray, method);
        QFETCH(int, status);
        QFETCH(QString, expected);
        m_server.enqueue(
            method, m_kube.scalePath(),
            KubeFixture::status(status, "Reason", "deployments.apps \"querydeck\" is forbidden"));
        KubernetesReplicaSet set(config(), &m_secrets);
        QString error;
        if (method == "GET") {
            QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
            set.refresh();
            error = waitError(refreshed);
            QCOMPARE(refreshed.first().at(0).toBool(), false);
        } else {
            QSignalSpy finished(&set, &ReplicaSet::scaleFinished);
            set.scale(4);
            error = waitError(finished);
            QCOMPARE(m_kube.replicas(), 3); // nothing changed
        }
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY(!error.contains(KubeFixture::kToken));
    }

    void wrongTokenIs401()
    {
        qputenv("QD_TEST_KUBE_TOKEN_BAD", "not-the-token");
        KubernetesConfig c = config();
        c.token.envVar = "QD_TEST_KUBE_TOKEN_BAD";
        KubernetesReplicaSet set(c, &m_secrets);
        QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
        set.refresh();
        const QString error = waitError(refreshed);
        QVERIFY2(error.contains("401 Unauthorized") && error.contains("token"), qPrintable(error));
        QVERIFY(!error.contains("not-the-token"));
    }

    void missingTokenSendsNothing()
    {
        KubernetesConfig c = config();
        c.token.envVar = "QD_TEST_KUBE_TOKEN_UNSET";
        KubernetesReplicaSet set(c, &m_secrets);
        QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
        set.refresh();
        const QString error = waitError(refreshed);
        QVERIFY2(error.startsWith("kubernetes.token:") &&
                     error.contains("QD_TEST_KUBE_TOKEN_UNSET"),
                 qPrintable(error));
        QCOMPARE(m_server.requestCount(), 0);
    }

    void timeout()
    {
        // The server would answer after a minute: an error naming the 300 ms
        // limit can only come from the client's own timeout.
        FixtureResponse slow = FixtureResponse::json(200, {});
        slow.delay = 60s;
        m_server.enqueue("GET", m_kube.scalePath(), slow);
        KubernetesConfig c = config();
        c.timeoutMs = 300;
        KubernetesReplicaSet set(c, &m_secrets);
        QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
        set.refresh();
        const QString error = waitError(refreshed);
        QVERIFY2(error.contains("did not answer GET /apis/apps/v1/namespaces/prod/deployments/"
                                "querydeck/scale within 300 ms"),
                 qPrintable(error));
    }

    void unreachableServer()
    {
        FixtureHttpServer closed;
        QVERIFY(closed.start());
        const QUrl url = closed.url();
        closed.stop();
        KubernetesConfig c = config();
        c.apiServer = url;
        KubernetesReplicaSet set(c, &m_secrets);
        QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
        set.refresh();
        const QString error = waitError(refreshed);
        QVERIFY2(error.contains("cannot reach the Kubernetes API at http://127.0.0.1:"),
                 qPrintable(error));
    }

    void malformedReplies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("<html>proxy</html>") << "is not a JSON object";
        QTest::newRow("array") << QByteArray("[1,2]") << "is not a JSON object";
        QTest::newRow("empty") << QByteArray() << "is not a JSON object";
        QTest::newRow("1,000 nested arrays") << QByteArray(1000, '[') + QByteArray(1000, ']')
                                             << "JSON nested deeper than 256 levels";
        QTest::newRow("100,000 nested objects")
            << "{\"spec\":" + QByteArray("{\"a\":").repeated(100000)
            << "JSON nested deeper than 256 levels at byte";
        QTest::newRow("no selector")
            << QByteArray(R"({"spec":{"replicas":2},"status":{}})") << "has no status.selector";
        QTest::newRow("replicas not a number")
            << QByteArray(R"({"spec":{"replicas":"two"},"status":{"selector":"a=b"}})")
            << "spec.replicas is not a number";
    }

    void malformedReplies()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        m_server.enqueue("GET", m_kube.scalePath(),
                         FixtureResponse::text(200, body, "application/json"));
        KubernetesReplicaSet set(config(), &m_secrets);
        QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
        set.refresh();
        const QString error = waitError(refreshed);
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    // Restart counts come from the API server: two containers at INT_MAX
    // overflowed the int sum (undefined behaviour). The total saturates.
    void podRestartCountsSaturate()
    {
        const QJsonObject pods =
            QJsonDocument::fromJson(R"({"items":[{"metadata":{"name":"q-1"},"status":{
                "phase":"Running","conditions":[{"type":"Ready","status":"True"}],
                "containerStatuses":[{"restartCount":2147483647},{"restartCount":2147483647},
                                     {"restartCount":-5}]}}]})")
                .object();
        const QList<ReplicaInfo> replicas = KubernetesReplicaSet::parsePods(pods);
        QCOMPARE(replicas.size(), 1);
        QCOMPARE(replicas[0].restarts, std::numeric_limits<int>::max());
        QCOMPARE(replicas[0].state, ReplicaState::Ready);
    }

    void configValidation_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::newRow("url scheme") << "apiServer"
                                    << "ftp://kube:6443";
        QTest::newRow("url empty") << "apiServer"
                                   << "";
        QTest::newRow("namespace") << "namespace"
                                   << "Prod_NS";
        QTest::newRow("namespace path") << "namespace"
                                        << "../etc";
        QTest::newRow("deployment") << "deployment"
                                    << "";
        QTest::newRow("deployment long") << "deployment" << QString(300, 'a');
    }

    void configValidation()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        KubernetesConfig c = config();
        if (field == "apiServer")
            c.apiServer = QUrl(value);
        else if (field == "namespace")
            c.ns = value;
        else
            c.deployment = value;
        const QString error = c.validate();
        QVERIFY2(error.contains("kubernetes." + field), qPrintable(error));
        KubernetesReplicaSet set(c, &m_secrets);
        QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
        set.refresh();
        QCOMPARE(waitError(refreshed), error);
        QCOMPARE(m_server.requestCount(), 0);
    }

    void unreadableCaFile()
    {
        QTemporaryDir dir;
        QFile bad(dir.filePath("ca.pem"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not a certificate");
        bad.close();
        for (const QString& path : {bad.fileName(), dir.filePath("missing.pem")}) {
            KubernetesConfig c = config();
            c.caFile = path;
            KubernetesReplicaSet set(c, &m_secrets);
            QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
            set.refresh();
            const QString error = waitError(refreshed);
            QVERIFY2(error.contains("kubernetes.caFile") && error.contains(path),
                     qPrintable(error));
        }
        QCOMPARE(m_server.requestCount(), 0);
    }

    void drainMarksThePodCheapestAndScalesDown()
    {
        KubernetesReplicaSet set(config(), &m_secrets);
        QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
        set.refresh();
        QVERIFY(refreshed.wait(5000));
        const QString victim = set.replicas().at(1).id;
        QSignalSpy finished(&set, &ReplicaSet::scaleFinished);
        set.drain(victim);
        QVERIFY(finished.wait(5000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(m_kube.deletionCosts().value(victim), QString("-1000"));
        QCOMPARE(m_kube.replicas(), 2);
        QVERIFY(!m_kube.podNames().contains(victim));
        QCOMPARE(set.replicas().size(), 2);
    }

    void restartDeletesThePod()
    {
        KubernetesReplicaSet set(config(), &m_secrets);
        QSignalSpy refreshed(&set, &KubernetesReplicaSet::refreshed);
        set.refresh();
        QVERIFY(refreshed.wait(5000));
        const QString victim = set.replicas().first().id;
        refreshed.clear();
        set.restart(victim);
        QVERIFY(refreshed.wait(5000));
        QCOMPARE(m_kube.replicas(), 3);
        QVERIFY(!m_kube.podNames().contains(victim));
        QCOMPARE(set.replicas().size(), 3);

        // An unknown pod: the API's 404, named.
        QSignalSpy events(&set, &ReplicaSet::event);
        set.restart("querydeck-gone");
        QVERIFY(events.wait(5000));
        QVERIFY2(events.last().at(0).toString().contains("pod querydeck-gone not found (404)"),
                 qPrintable(events.last().at(0).toString()));
    }
};

QTEST_GUILESS_MAIN(TestKubernetesReplicaSet)
#include "tst_kubernetesreplicaset.moc"
