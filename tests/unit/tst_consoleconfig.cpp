#include "backend/config/ConsoleConfig.h"

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
        QCOMPARE(result.value, ConsoleConfig{});
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
        QCOMPARE(result.value.scrapeTargets.size(), 2);
        QCOMPARE(result.value.scrapeIntervalMs, 2000);
        QCOMPARE(result.value.sampleIntervalMs, 500);
        QCOMPARE(result.value.trafficRate, 12.5);
        QCOMPARE(result.value.wallDashboards, QStringList{"service"});
        QCOMPARE(result.value.wallRotateSeconds, 60);
        QCOMPARE(result.value.dashboard, QStringLiteral("/etc/querydeck/ops.json"));
        QCOMPARE(result.value.redis, QStringLiteral("redis-1.internal:6380"));
        QVERIFY(result.value.scrapeJobs.isEmpty()); // up{job="scrape"}, as before
    }

    void scrapeTargetWithJob()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            "{\"console\": {\"scrape_targets\": [\"http://node:9100/metrics\", "
            "{\"url\": \"http://replica-1:8000/metrics\", \"job\": \"service\"}]}}");
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        QCOMPARE(result.warnings, QStringList());
        QCOMPARE(result.value.scrapeTargets,
                 (QStringList{"http://node:9100/metrics", "http://replica-1:8000/metrics"}));
        QCOMPARE(result.value.scrapeJobs,
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
            << "console.autoscaler.rules.cpu_down_percent: must be in [0, cpu_up_percent) = [0, "
               "70), got 80";
        QTest::newRow("rules min above max")
            << QByteArray(
                   R"({"console":{"autoscaler":{"rules":{"min_replicas":5,"max_replicas":3}}}})")
            << "console.autoscaler.rules.max_replicas: must be in min_replicas..1000 = 5..1000, "
               "got 3";
        QTest::newRow("hpa tolerance")
            << QByteArray(R"({"console":{"autoscaler":{"hpa":{"tolerance":-1}}}})")
            << "console.autoscaler.hpa.tolerance";
        QTest::newRow("hpa min above max")
            << QByteArray(
                   R"({"console":{"autoscaler":{"hpa":{"min_replicas":9,"max_replicas":2}}}})")
            << "console.autoscaler.hpa.max_replicas: must be in min_replicas..1000";
        QTest::newRow("rules queue down above up")
            << QByteArray(R"({"console":{"autoscaler":{"rules":{"queue_down_depth":60}}}})")
            << "console.autoscaler.rules.queue_down_depth: must be in [0, queue_up_depth) = [0, "
               "50), got 60";
        QTest::newRow("hpa no target")
            << QByteArray(
                   R"({"console":{"autoscaler":{"hpa":{"cpu_target_percent":0,"latency_target_seconds":0,"queue_per_replica_target":0}}}})")
            << "console.autoscaler.hpa.cpu_target_percent: at least one target";
        QTest::newRow("behavior not object")
            << QByteArray(R"({"console":{"autoscaler":{"rules":{"scale_up":[]}}}})")
            << "console.autoscaler.rules.scale_up: must be an object, got an array";
        QTest::newRow("policies not array")
            << QByteArray(R"({"console":{"autoscaler":{"rules":{"scale_up":{"policies":{}}}}}})")
            << "console.autoscaler.rules.scale_up.policies: must be an array of objects, got an "
               "object";
        QTest::newRow("policy not object")
            << QByteArray(R"({"console":{"autoscaler":{"hpa":{"scale_down":{"policies":[4]}}}}})")
            << "console.autoscaler.hpa.scale_down.policies[0]: must be an object, got 4";
        QTest::newRow("policy type")
            << QByteArray(
                   R"({"console":{"autoscaler":{"rules":{"scale_up":{"policies":[{"type":"pods","value":2,"period_seconds":60}]}}}}})")
            << "console.autoscaler.rules.scale_up.policies[0].type: must be one of \"Pods\", "
               "\"Percent\", got \"pods\"";
        QTest::newRow("policy value zero")
            << QByteArray(
                   R"({"console":{"autoscaler":{"rules":{"scale_up":{"policies":[{"type":"Pods","value":2,"period_seconds":60},{"type":"Percent","value":0,"period_seconds":60}]}}}}})")
            << "console.autoscaler.rules.scale_up.policies[1].value: must be";
        QTest::newRow("policy period too long")
            << QByteArray(
                   R"({"console":{"autoscaler":{"hpa":{"scale_up":{"policies":[{"type":"Pods","value":2,"period_seconds":1801}]}}}}})")
            << "console.autoscaler.hpa.scale_up.policies[0].period_seconds: must be";
        QTest::newRow("policy period string")
            << QByteArray(
                   R"({"console":{"autoscaler":{"hpa":{"scale_up":{"policies":[{"type":"Pods","value":2,"period_seconds":"60s"}]}}}}})")
            << "console.autoscaler.hpa.scale_up.policies[0].period_seconds: must be";
        QTest::newRow("policy fields missing")
            << QByteArray(
                   R"({"console":{"autoscaler":{"rules":{"scale_down":{"policies":[{"type":"Pods"}]}}}}})")
            << "console.autoscaler.rules.scale_down.policies[0]: needs type, value and "
               "period_seconds";
        QTest::newRow("policies too many")
            << QByteArray(
                   R"({"console":{"autoscaler":{"rules":{"scale_down":{"policies":[{},{},{},{},{},{},{},{},{},{},{}]}}}}})")
            << "console.autoscaler.rules.scale_down.policies: must hold at most 10 objects, got "
               "11";
        QTest::newRow("select policy")
            << QByteArray(
                   R"({"console":{"autoscaler":{"hpa":{"scale_down":{"select_policy":"max"}}}}})")
            << "console.autoscaler.hpa.scale_down.select_policy: must be one of \"Max\", "
               "\"Min\", \"Disabled\"";
        QTest::newRow("stabilization negative")
            << QByteArray(
                   R"({"console":{"autoscaler":{"hpa":{"scale_down":{"stabilization_window_seconds":-5}}}}})")
            << "console.autoscaler.hpa.scale_down.stabilization_window_seconds: must be";
        QTest::newRow("stabilization twice")
            << QByteArray(
                   R"({"console":{"autoscaler":{"hpa":{"up_stabilization_seconds":5,"scale_up":{"stabilization_window_seconds":10}}}}})")
            << "console.autoscaler.hpa.scale_up.stabilization_window_seconds: set twice";
        QTest::newRow("stabilization on rules")
            << QByteArray(
                   R"({"console":{"autoscaler":{"rules":{"scale_down":{"stabilization_window_seconds":300}}}}})")
            << "console.autoscaler.rules.scale_down.stabilization_window_seconds: the rules "
               "policy has no stabilization window";
        QTest::newRow("price negative")
            << QByteArray(R"({"console":{"fleet":{"price_per_instance_month":-1}}})")
            << "console.fleet.price_per_instance_month: must be";
        QTest::newRow("price with currency")
            << QByteArray(R"({"console":{"fleet":{"price_per_instance_month":"$70"}}})")
            << "console.fleet.price_per_instance_month: must be";
        QTest::newRow("price huge")
            << QByteArray(R"({"console":{"fleet":{"price_per_instance_month":1e9}}})")
            << "console.fleet.price_per_instance_month: must be";
        QTest::newRow("drain timeout negative")
            << QByteArray(R"({"console":{"fleet":{"local":{"drain_timeout_ms":-1}}}})")
            << "console.fleet.local.drain_timeout_ms: must be";
        QTest::newRow("drain timeout huge")
            << QByteArray(R"({"console":{"fleet":{"local":{"drain_timeout_ms":3600001}}}})")
            << "console.fleet.local.drain_timeout_ms: must be";
        QTest::newRow("drain timeout fraction")
            << QByteArray(R"({"console":{"fleet":{"local":{"drain_timeout_ms":1.5}}}})")
            << "console.fleet.local.drain_timeout_ms: must be";
        QTest::newRow("front door status")
            << QByteArray(R"({"console":{"fleet":{"local":{"front_door":{"limit_status":444}}}}})")
            << "console.fleet.local.front_door.limit_status: must be 429 or 503, got 444";
        QTest::newRow("front door unknown key is a warning, bad timeout an error")
            << QByteArray(
                   R"({"console":{"fleet":{"local":{"front_door":{"keepalive":1,"keep_alive_timeout_ms":-1}}}}})")
            << "console.fleet.local.front_door.keep_alive_timeout_ms: must be";
        QTest::newRow("drain timeout string")
            << QByteArray(R"({"console":{"fleet":{"local":{"drain_timeout_ms":"20s"}}}})")
            << "console.fleet.local.drain_timeout_ms: must be";
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
        const ConsoleConfig& c = result.value;
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
        QVERIFY(sentinelsOnly.value.redis.isEmpty());
        QVERIFY(sentinelsOnly.value.redisConfigured());
        QCOMPARE(sentinelsOnly.value.redisOptions.password.envVar, QStringLiteral("QD_REDIS_PW"));

        // The string form still works and has no options.
        const auto plain = ConsoleConfigLoader::loadJson(R"({"console":{"redis":"h:6379"}})");
        QVERIFY(plain.ok());
        QCOMPARE(plain.value.redisOptions, ConsoleRedisConfig{});
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
            R"({"console":{"fleet":{"kind":"local","local":{"replicas":3,"port":9100,"base_port":9200,"nginx":"/usr/sbin/nginx","corpus":"/srv/docs","config":"/etc/querydeck/replica.json","runtime_dir":"/run/qd","drain_timeout_ms":4500,"front_door":{"client_header_timeout_ms":2000,"client_body_timeout_ms":3000,"send_timeout_ms":4000,"keep_alive_timeout_ms":5000,"connections_per_address":8,"limit_status":503}},"price_per_instance_month":123.5}}})");
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join('\n')));
        const FleetConsoleConfig& f = result.value.fleet;
        QVERIFY(f.isLocal());
        QCOMPARE(f.replicas, 3);
        QCOMPARE(f.port, 9100);
        QCOMPARE(f.basePort, 9200);
        QCOMPARE(f.nginx, QStringLiteral("/usr/sbin/nginx"));
        QCOMPARE(f.corpus, QStringLiteral("/srv/docs"));
        QCOMPARE(f.configFile, QStringLiteral("/etc/querydeck/replica.json"));
        QCOMPARE(f.runtimeDir, QStringLiteral("/run/qd"));
        QCOMPARE(f.drainTimeoutMs, std::optional<int>(4500));
        QCOMPARE(f.pricePerInstanceMonth, 123.5);

        // What the console's local replica set runs with: the key, else the
        // service's http.drain_timeout_ms.
        LocalFleetOptions options;
        applyLocalFleetOptions(f, 20000, options);
        QCOMPARE(options.drainTimeoutMs, 4500);
        QCOMPARE(options.frontPort, 9100);
        QCOMPARE(options.replicaBasePort, 9200);
        QCOMPARE(options.nginxBinary, QStringLiteral("/usr/sbin/nginx"));
        QCOMPARE(options.frontDoor, (FrontDoorLimits{2000, 3000, 4000, 5000, 8, 503}));
        FleetConsoleConfig unset;
        QVERIFY(!unset.drainTimeoutMs);
        QCOMPARE(unset.pricePerInstanceMonth, ScaleRequest{}.pricePerInstanceMonth);
        applyLocalFleetOptions(unset, 7000, options);
        QCOMPARE(options.drainTimeoutMs, 7000);
        const auto zero = ConsoleConfigLoader::loadJson(
            R"({"console":{"fleet":{"local":{"drain_timeout_ms":0},"price_per_instance_month":0}}})");
        QVERIFY2(zero.ok(), qPrintable(zero.errors.join('\n')));
        QCOMPARE(zero.value.fleet.drainTimeoutMs, std::optional<int>(0));
        QCOMPARE(zero.value.fleet.pricePerInstanceMonth, 0.0);
    }

    void behavior()
    {
        // HPA v2 spec.behavior, spelled in the config's snake_case.
        const auto result = ConsoleConfigLoader::loadJson(
            R"({"console":{"autoscaler":{"rules":{"scale_up":{"policies":[{"type":"Pods","value":4,"period_seconds":60},{"type":"Percent","value":100,"period_seconds":60}],"select_policy":"Max"},"scale_down":{"policies":[{"type":"Pods","value":1,"period_seconds":300}],"select_policy":"Min"}},"hpa":{"scale_up":{"stabilization_window_seconds":30,"select_policy":"Disabled"},"scale_down":{"policies":[{"type":"Percent","value":50,"period_seconds":120}],"stabilization_window_seconds":600}}}}})");
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join('\n')));
        const AutoscalerConsoleConfig& a = result.value.autoscaler;
        const StepLimits rulesUp{
            {{StepPolicy::Type::Pods, 4, 60}, {StepPolicy::Type::Percent, 100, 60}},
            StepLimits::Select::Max};
        QCOMPARE(a.rules.upLimits, rulesUp);
        const StepLimits rulesDown{{{StepPolicy::Type::Pods, 1, 300}}, StepLimits::Select::Min};
        QCOMPARE(a.rules.downLimits, rulesDown);
        QCOMPARE(a.hpa.upStabilizationSeconds, 30);
        QCOMPARE(a.hpa.upLimits.select, StepLimits::Select::Disabled);
        QCOMPARE(a.hpa.upLimits.policies, HpaPolicyConfig{}.upLimits.policies); // kept
        QCOMPARE(a.hpa.downStabilizationSeconds, 600);
        const StepLimits hpaDown{{{StepPolicy::Type::Percent, 50, 120}}, StepLimits::Select::Max};
        QCOMPARE(a.hpa.downLimits, hpaDown);

        // An empty list lifts the limits; a bad one keeps the defaults.
        const auto empty = ConsoleConfigLoader::loadJson(
            R"({"console":{"autoscaler":{"hpa":{"scale_up":{"policies":[]}}}}})");
        QVERIFY(empty.ok());
        QVERIFY(empty.value.autoscaler.hpa.upLimits.policies.isEmpty());
        const auto bad = ConsoleConfigLoader::loadJson(
            R"({"console":{"autoscaler":{"hpa":{"scale_up":{"policies":[{"type":"Pods","value":0,"period_seconds":60}]}}}}})");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.value.autoscaler.hpa, HpaPolicyConfig{});

        const auto typo = ConsoleConfigLoader::loadJson(
            R"({"console":{"autoscaler":{"rules":{"scale_up":{"policies":[{"type":"Pods","value":1,"period_seconds":60,"periodSeconds":60}],"selectPolicy":"Max"}}}}})");
        QVERIFY(typo.ok());
        const QString warnings = typo.warnings.join('\n');
        QVERIFY2(warnings.contains("console.autoscaler.rules.scale_up.selectPolicy"),
                 qPrintable(warnings));
        QVERIFY2(warnings.contains("console.autoscaler.rules.scale_up.policies[0].periodSeconds"),
                 qPrintable(warnings));
    }

    void fleetKubernetes()
    {
        const auto result = ConsoleConfigLoader::loadJson(
            "{\"console\":{\"fleet\":{\"kind\":\"kubernetes\",\"kubernetes\":{\"api_url\":\"https:/"
            "/kube.example:6443\",\"namespace\":\"prod\",\"deployment\":\"querydeck\",\"token\":{"
            "\"keychain\":\"kube-token\"},\"ca_file\":\"/etc/kube/"
            "ca.pem\",\"timeout_ms\":5000}}}}");
        QVERIFY2(result.ok(), qPrintable(result.errors.join('\n')));
        const KubernetesConfig& k = result.value.fleet.kubernetes;
        QVERIFY(result.value.fleet.isKubernetes());
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
        const AutoscalerConsoleConfig& a = result.value.autoscaler;
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
        QCOMPARE(result.value.autoscaler.rules, RulePolicyConfig{});
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
        QCOMPARE(result.value, ConsoleConfig{});
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
