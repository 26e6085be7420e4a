#include "config/ConsoleConfig.h"

#include <QTest>

using namespace querydeck;

class ConsoleConfigTest : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        const auto result = ConsoleConfigLoader::loadJson("{}");
        QVERIFY(result.ok());
        QCOMPARE(result.config, ConsoleConfig{});
        QVERIFY(result.warnings.isEmpty());
    }

    void fullSection()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            "{\"console\": {\"scrape_targets\": [\"http://127.0.0.1:8001/metrics\", "
            "\"https://replica-2:8000/metrics\"], \"scrape_interval_ms\": 2000, "
            "\"sample_interval_ms\": 500, \"traffic_rate\": 12.5, "
            "\"dashboard\": \"/etc/querydeck/ops.json\", \"redis\": \"redis-1.internal:6380\", "
            "\"wall\": {\"dashboards\": [\"service\"], \"rotate_seconds\": 60}}}");
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        QCOMPARE(result.config.scrapeTargets.size(), 2);
        QCOMPARE(result.config.scrapeIntervalMs, 2000);
        QCOMPARE(result.config.sampleIntervalMs, 500);
        QCOMPARE(result.config.trafficRate, 12.5);
        QCOMPARE(result.config.wallDashboards, QStringList{"service"});
        QCOMPARE(result.config.wallRotateSeconds, 60);
        QCOMPARE(result.config.dashboard, QStringLiteral("/etc/querydeck/ops.json"));
        QCOMPARE(result.config.redis, QStringLiteral("redis-1.internal:6380"));
        QVERIFY(result.config.scrapeJobs.isEmpty()); // up{job="scrape"}, as before
    }

    void scrapeTargetWithJob()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            "{\"console\": {\"scrape_targets\": [\"http://node:9100/metrics\", "
            "{\"url\": \"http://replica-1:8000/metrics\", \"job\": \"service\"}]}}");
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        QCOMPARE(result.warnings, QStringList());
        QCOMPARE(result.config.scrapeTargets,
                 (QStringList{"http://node:9100/metrics", "http://replica-1:8000/metrics"}));
        QCOMPARE(result.config.scrapeJobs,
                 (QMap<QString, QString>{{"http://replica-1:8000/metrics", "service"}}));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("targets not array")
            << QByteArray("{\"console\":{\"scrape_targets\":\"http://x/metrics\"}}")
            << "console.scrape_targets: must be an array";
        QTest::newRow("target number") << QByteArray(R"({"console":{"scrape_targets":[3]}})")
                                       << "console.scrape_targets[0]: must be a non-empty string";
        QTest::newRow("target not http")
            << QByteArray("{\"console\":{\"scrape_targets\":[\"ftp://x/m\"]}}")
            << "console.scrape_targets[0]: must be an http(s) URL";
        QTest::newRow("target with password")
            << QByteArray("{\"console\":{\"scrape_targets\":[\"http://u:secret@x/m\"]}}")
            << "console.scrape_targets[0]: must not contain credentials";
        const auto target = [](const QByteArray& entry) {
            return QByteArray("{\"console\":{\"scrape_targets\":[") + entry + "]}}";
        };
        QTest::newRow("job empty") << target("{\"url\":\"http://x/m\",\"job\":\"\"}")
                                   << "console.scrape_targets[0].job: must be 1-128 letters";
        QTest::newRow("job with quote") << target("{\"url\":\"http://x/m\",\"job\":\"a\\\"b\"}")
                                        << "console.scrape_targets[0].job: must be 1-128 letters";
        QTest::newRow("job too long")
            << target("{\"url\":\"http://x/m\",\"job\":\"" + QByteArray(129, 'j') + "\"}")
            << "console.scrape_targets[0].job: must be 1-128 letters";
        QTest::newRow("job number") << target("{\"url\":\"http://x/m\",\"job\":7}")
                                    << "console.scrape_targets[0].job: must be a string";
        QTest::newRow("target object without url")
            << target("{\"job\":\"service\"}")
            << "console.scrape_targets[0]: must be a non-empty string";
        QTest::newRow("target object unknown key")
            << target("{\"url\":\"http://x/m\",\"job\":\"a\",\"jobs\":\"b\"}")
            << "console.scrape_targets[0].jobs: unknown key";
        QTest::newRow("target object bad url")
            << target("{\"url\":\"ftp://x/m\",\"job\":\"a\"}")
            << "console.scrape_targets[0]: must be an http(s) URL";
        QTest::newRow("interval too small") << QByteArray(R"({"console":{"scrape_interval_ms":5}})")
                                            << "console.scrape_interval_ms";
        QTest::newRow("rate string")
            << QByteArray(R"({"console":{"traffic_rate":"fast"}})") << "console.traffic_rate";
        QTest::newRow("rotate zero") << QByteArray(R"({"console":{"wall":{"rotate_seconds":0}}})")
                                     << "console.wall.rotate_seconds";
        QTest::newRow("redis no port")
            << QByteArray(R"({"console":{"redis":"localhost"}})")
            << "console.redis: must be host:port, got \"localhost\" (no port)";
        QTest::newRow("redis port range") << QByteArray(R"({"console":{"redis":"h:70000"}})")
                                          << "console.redis: must be host:port: \"h:70000\": port "
                                             "\"70000\" is not a number from 1 to 65535";
        QTest::newRow("redis url with password")
            << QByteArray("{\"console\":{\"redis\":\"redis://:pw@h:6379\"}}")
            << "console.redis: must be host:port without scheme or credentials";
        QTest::newRow("redis number")
            << QByteArray(R"({"console":{"redis":6379}})") << "console.redis";
        QTest::newRow("redis hostile host")
            << QByteArray(R"({"console":{"redis":"a b;rm -rf:6379"}})")
            << "console.redis: must be host:port: \"a b;rm -rf:6379\": \"a b;rm -rf\" is not a "
               "host name or IP address";
        QTest::newRow("redis object without address")
            << QByteArray(R"({"console":{"redis":{}}})")
            << "console.redis.address: give the address (host:port) or sentinels with master_name";
        QTest::newRow("redis object bad address")
            << QByteArray(R"({"console":{"redis":{"address":"localhost"}}})")
            << "console.redis.address: must be host:port";
        QTest::newRow("redis sentinels without name")
            << QByteArray(R"({"console":{"redis":{"sentinels":"127.0.0.1:26379"}}})")
            << "console.redis.master_name: required with sentinels";
        QTest::newRow("redis sentinels hostile")
            << QByteArray(
                   R"({"console":{"redis":{"sentinels":"a:1,;rm -rf /:2","master_name":"m"}}})")
            << "console.redis.sentinels:";
        QTest::newRow("redis sentinels empty entry")
            << QByteArray(R"({"console":{"redis":{"sentinels":"h:1,,","master_name":"m"}}})")
            << "console.redis.sentinels:";
        QTest::newRow("redis master name spaces")
            << QByteArray(
                   R"({"console":{"redis":{"sentinels":"h:26379","master_name":"my master"}}})")
            << "console.redis.master_name: must be letters, digits";
        QTest::newRow("redis master name oversized")
            << QByteArray("{\"console\":{\"redis\":{\"address\":\"h:1\",\"master_name\":\"" +
                          QByteArray(300, 'm') + "\"}}}")
            << "console.redis.master_name";
        QTest::newRow("redis password plaintext")
            << QByteArray(R"({"console":{"redis":{"address":"h:6379","password":"hunter2"}}})")
            << "console.redis.password: secrets must not be written";
        QTest::newRow("redis password keychain empty")
            << QByteArray(
                   R"({"console":{"redis":{"address":"h:6379","password":{"keychain":""}}}})")
            << "console.redis.password";
        QTest::newRow("redis refresh too fast")
            << QByteArray(R"({"console":{"redis":{"address":"h:6379","refresh_ms":10}}})")
            << "console.redis.refresh_ms";
        QTest::newRow("redis array")
            << QByteArray(R"({"console":{"redis":[]}})") << "console.redis";
        QTest::newRow("console not object") << QByteArray(R"({"console":[]})") << "console";
        QTest::newRow("not json") << QByteArray("{") << "not a JSON object";
        QTest::newRow("dashboard number")
            << QByteArray(R"({"console":{"dashboard":7}})") << "console.dashboard";
        QTest::newRow("fleet kind unknown")
            << QByteArray(R"({"console":{"fleet":{"kind":"swarm"}}})")
            << "console.fleet.kind: must be one of \"none\", \"local\", \"kubernetes\"";
        QTest::newRow("fleet not object")
            << QByteArray(R"({"console":{"fleet":"local"}})") << "console.fleet";
        QTest::newRow("replicas zero")
            << QByteArray(R"({"console":{"fleet":{"local":{"replicas":0}}}})")
            << "console.fleet.local.replicas";
        QTest::newRow("replicas huge")
            << QByteArray(R"({"console":{"fleet":{"local":{"replicas":100000}}}})")
            << "console.fleet.local.replicas";
        QTest::newRow("ports past 65535")
            << QByteArray(R"({"console":{"fleet":{"local":{"port":65530,"replicas":8}}}})")
            << "console.fleet.local.replicas: 8 replicas from port 65530 would run past 65535";
        QTest::newRow("port string")
            << QByteArray(R"({"console":{"fleet":{"local":{"port":"8100"}}}})")
            << "console.fleet.local.port";
        QTest::newRow("nginx empty")
            << QByteArray(R"({"console":{"fleet":{"local":{"nginx":""}}}})")
            << "console.fleet.local.nginx: must name the nginx binary";
        QTest::newRow("kube url ftp")
            << QByteArray("{\"console\":{\"fleet\":{\"kubernetes\":{\"api_url\":\"ftp://k\"}}}}")
            << "console.fleet.kubernetes.api_url";
        QTest::newRow("kube url with password")
            << QByteArray("{\"console\":{\"fleet\":{\"kubernetes\":{\"api_url\":\"https://"
                          "u:hunter2@k:6443\"}}}}")
            << "console.fleet.kubernetes.api_url: must not contain";
        QTest::newRow("kube token plaintext")
            << QByteArray(R"({"console":{"fleet":{"kubernetes":{"token":"hunter2-token"}}}})")
            << "console.fleet.kubernetes.token: secrets must not be written";
        QTest::newRow("kube bad namespace")
            << QByteArray(
                   "{\"console\":{\"fleet\":{\"kind\":\"kubernetes\",\"kubernetes\":{\"api_url\":"
                   "\"https://k:6443\",\"deployment\":\"qd\",\"namespace\":\"Bad_NS\"}}}}")
            << "console.fleet.kubernetes: kubernetes.namespace \"Bad_NS\" is not a valid name";
        QTest::newRow("kube without deployment")
            << QByteArray("{\"console\":{\"fleet\":{\"kind\":\"kubernetes\",\"kubernetes\":{\"api_"
                          "url\":\"https://k:6443\"}}}}")
            << "console.fleet.kubernetes.deployment: is required";
        QTest::newRow("autoscaler mode")
            << QByteArray(R"({"console":{"autoscaler":{"mode":"auto"}}})")
            << "console.autoscaler.mode: must be one of \"off\", \"recommend\", \"apply\"";
        QTest::newRow("autoscaler policy")
            << QByteArray(R"({"console":{"autoscaler":{"policy":"ml"}}})")
            << "console.autoscaler.policy";
        QTest::newRow("autoscaler interval")
            << QByteArray(R"({"console":{"autoscaler":{"interval_ms":1}}})")
            << "console.autoscaler.interval_ms";
        QTest::newRow("rules cpu over 100")
            << QByteArray(R"({"console":{"autoscaler":{"rules":{"cpu_up_percent":150}}}})")
            << "console.autoscaler.rules.cpu_up_percent";
        QTest::newRow("rules down above up")
            << QByteArray(R"({"console":{"autoscaler":{"rules":{"cpu_down_percent":80}}}})")
            << "console.autoscaler.rules: cpuDownPercent must be in [0, cpuUpPercent)";
        QTest::newRow("rules min above max")
            << QByteArray(
                   R"({"console":{"autoscaler":{"rules":{"min_replicas":5,"max_replicas":3}}}})")
            << "console.autoscaler.rules:";
        QTest::newRow("hpa tolerance")
            << QByteArray(R"({"console":{"autoscaler":{"hpa":{"tolerance":-1}}}})")
            << "console.autoscaler.hpa.tolerance";
        QTest::newRow("hpa min above max")
            << QByteArray(
                   R"({"console":{"autoscaler":{"hpa":{"min_replicas":9,"max_replicas":2}}}})")
            << "console.autoscaler.hpa:";
    }

    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const auto result = ConsoleConfigLoader::loadJson(json);
        QVERIFY(!result.ok());
        QVERIFY2(result.errors.join('\n').contains(message), qPrintable(result.errors.join('\n')));
        const QString all = result.errors.join('\n');
        QVERIFY2(!all.contains(":secret@") && !all.contains("hunter2"),
                 "credentials are never echoed");
    }

    void redisObject()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            R"({"console":{"redis":{"address":"10.0.0.5:6379","sentinels":"10.0.0.5:26379, 10.0.0.6:26379","master_name":"qd-cache","password":{"keychain":"redis-console"},"refresh_ms":2000}}})");
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join('\n')));
        const ConsoleConfig& c = result.config;
        QCOMPARE(c.redis, QStringLiteral("10.0.0.5:6379"));
        QCOMPARE(c.redisOptions.sentinels, QStringLiteral("10.0.0.5:26379, 10.0.0.6:26379"));
        QCOMPARE(c.redisOptions.masterName, QStringLiteral("qd-cache"));
        QCOMPARE(c.redisOptions.password.keychainKey, QStringLiteral("redis-console"));
        QCOMPARE(c.redisOptions.refreshMs, 2000);
        QVERIFY(c.redisConfigured());

        // Sentinels alone: the dock, no INFO source.
        const auto sentinelsOnly = ConsoleConfigLoader::loadJson(
            R"({"console":{"redis":{"sentinels":"h:26379","master_name":"m","password":{"env":"QD_REDIS_PW"}}}})");
        QVERIFY2(sentinelsOnly.ok(), qPrintable(sentinelsOnly.errors.join('\n')));
        QVERIFY(sentinelsOnly.config.redis.isEmpty());
        QVERIFY(sentinelsOnly.config.redisConfigured());
        QCOMPARE(sentinelsOnly.config.redisOptions.password.envVar, QStringLiteral("QD_REDIS_PW"));

        // The string form still works and has no options.
        const auto plain = ConsoleConfigLoader::loadJson(R"({"console":{"redis":"h:6379"}})");
        QVERIFY(plain.ok());
        QCOMPARE(plain.config.redisOptions, ConsoleRedisConfig{});
        QVERIFY(!ConsoleConfig{}.redisConfigured());

        const auto unknown = ConsoleConfigLoader::loadJson(
            R"({"console":{"redis":{"address":"h:6379","pasword":{"env":"X"}}}})");
        QVERIFY(unknown.ok());
        QVERIFY2(unknown.warnings.join('\n').contains("console.redis.pasword"),
                 qPrintable(unknown.warnings.join('\n')));
    }

    void fleetLocal()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            R"({"console":{"fleet":{"kind":"local","local":{"replicas":3,"port":9100,"base_port":9200,"nginx":"/usr/sbin/nginx","corpus":"/srv/docs","config":"/etc/querydeck/replica.json","runtime_dir":"/run/qd"}}}})");
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join('\n')));
        const FleetConsoleConfig& f = result.config.fleet;
        QVERIFY(f.isLocal());
        QCOMPARE(f.replicas, 3);
        QCOMPARE(f.port, 9100);
        QCOMPARE(f.basePort, 9200);
        QCOMPARE(f.nginx, QStringLiteral("/usr/sbin/nginx"));
        QCOMPARE(f.corpus, QStringLiteral("/srv/docs"));
        QCOMPARE(f.configFile, QStringLiteral("/etc/querydeck/replica.json"));
        QCOMPARE(f.runtimeDir, QStringLiteral("/run/qd"));
    }

    void fleetKubernetes()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            "{\"console\":{\"fleet\":{\"kind\":\"kubernetes\",\"kubernetes\":{\"api_url\":\"https:/"
            "/kube.example:6443\",\"namespace\":\"prod\",\"deployment\":\"querydeck\",\"token\":{"
            "\"keychain\":\"kube-token\"},\"ca_file\":\"/etc/kube/"
            "ca.pem\",\"timeout_ms\":5000}}}}");
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        const KubernetesConfig& k = result.config.fleet.kubernetes;
        QVERIFY(result.config.fleet.isKubernetes());
        QCOMPARE(k.apiServer, QUrl("https://kube.example:6443"));
        QCOMPARE(k.ns, QStringLiteral("prod"));
        QCOMPARE(k.deployment, QStringLiteral("querydeck"));
        QCOMPARE(k.token.keychainKey, QStringLiteral("kube-token"));
        QCOMPARE(k.caFile, QStringLiteral("/etc/kube/ca.pem"));
        QCOMPARE(k.timeoutMs, 5000);
        QCOMPARE(k.validate(), QString());
    }

    void autoscaler()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            R"({"console":{"autoscaler":{"mode":"apply","policy":"hpa","interval_ms":1000,"rules":{"queue_up_depth":5,"queue_down_depth":1,"cooldown_up_seconds":2,"min_replicas":1,"max_replicas":4},"hpa":{"queue_per_replica_target":3,"down_stabilization_seconds":10}}}})");
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join('\n')));
        const AutoscalerConsoleConfig& a = result.config.autoscaler;
        QCOMPARE(a.mode, AutoscaleMode::Apply);
        QCOMPARE(a.policy, QStringLiteral("hpa"));
        QCOMPARE(a.intervalMs, 1000);
        QCOMPARE(a.rules.queueUpDepth, 5.0);
        QCOMPARE(a.rules.queueDownDepth, 1.0);
        QCOMPARE(a.rules.cooldownUpSeconds, 2);
        QCOMPARE(a.rules.minReplicas, 1);
        QCOMPARE(a.rules.maxReplicas, 4);
        QCOMPARE(a.rules.cpuUpPercent, RulePolicyConfig{}.cpuUpPercent); // untouched default
        QCOMPARE(a.hpa.queuePerReplicaTarget, 3.0);
        QCOMPARE(a.hpa.downStabilizationSeconds, 10);
    }

    // A rejected policy keeps the defaults, not half of the bad values.
    void rejectedRulesKeepDefaults()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            R"({"console":{"autoscaler":{"rules":{"min_replicas":5,"max_replicas":3}}}})");
        QVERIFY(!result.ok());
        QCOMPARE(result.config.autoscaler.rules, RulePolicyConfig{});
    }

    void unknownFleetKeyWarns()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            R"({"console":{"fleet":{"local":{"replica":3}},"autoscaler":{"rules":{"cpu_up":1}}}})");
        QVERIFY(result.ok());
        const QString warnings = result.warnings.join('\n');
        QVERIFY2(warnings.contains("console.fleet.local.replica"), qPrintable(warnings));
        QVERIFY2(warnings.contains("console.autoscaler.rules.cpu_up"), qPrintable(warnings));
    }

    // The packaged sample documents the console section and loads without a word.
    void sampleFileLoadsClean()
    {
        const auto result = ConsoleConfigLoader::loadFile(
            QStringLiteral(QUERYDECK_SOURCE_DIR "/packaging/querydeck.sample.json"));
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join('\n')));
        QCOMPARE(result.config, ConsoleConfig{});
    }

    void unknownKeyWarns()
    {
        const auto result = ConsoleConfigLoader::loadJson(R"({"console":{"scrape_target":[]}})");
        QVERIFY(result.ok());
        QVERIFY(result.warnings.join('\n').contains("console.scrape_target"));
    }
};

QTEST_GUILESS_MAIN(ConsoleConfigTest)
#include "tst_consoleconfig.moc"
