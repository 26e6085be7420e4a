#include "backend/config/ConfigLoader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using namespace querydeck;

namespace {

QString configData(const QString& name)
{
    return QStringLiteral(QUERYDECK_TEST_DATA "/config/") + name;
}

// Mirrors tests/data/config/full.json, where every field differs from its default.
ServiceConfig expectedFull()
{
    ServiceConfig c;
    c.http = {QStringLiteral("0.0.0.0"),
              9090,
              QStringLiteral("replica-a"),
              64,
              15000,
              2500,
              131072,
              45000,
              {QStringLiteral("10.0.0.0/8"), QStringLiteral("::1"), QStringLiteral("192.0.2.7")},
              3,
              4000,
              6000,
              9000,
              64};
    c.auth.queryToken.keychainKey = QStringLiteral("query-token");
    c.auth.adminToken.envVar = QStringLiteral("QUERYDECK_ADMIN_TOKEN");
    c.auth.requireQueryToken = true;
    c.rateLimit = {false, 7.5, 15.0, 5000, 2.5, 4.0, 56};
    c.corpus = {QStringLiteral("/srv/querydeck/corpus"), 1200, 200, 1048576,
                QStringLiteral("/var/cache/querydeck/index")};
    c.embedder.kind = QStringLiteral("ollama");
    c.embedder.dimension = 768;
    c.embedder.cacheEntries = 500;
    c.embedder.ollama = {QStringLiteral("http://ollama.internal:11434"),
                         QStringLiteral("nomic-embed-text"), 10000, 4};
    c.generator.kind = QStringLiteral("openai");
    c.generator.maxSentences = 5;
    c.generator.ollama = {QStringLiteral("https://ollama.example.org/base"),
                          QStringLiteral("llama3.1:8b"), 90000, 1};
    c.generator.openai.url = QStringLiteral("https://llm.example.org/proxy");
    c.generator.openai.model = QStringLiteral("gpt-4o");
    c.generator.openai.apiKey.envVar = QStringLiteral("OPENAI_API_KEY");
    c.generator.openai.timeoutMs = 120000;
    c.generator.openai.retries = 3;
    c.generator.openai.temperature = 0.7;
    c.generator.openai.maxTokens = 1024;
    c.generator.latency = {true, QStringLiteral("lognormal"), 250.5, 80.0};
    c.queue = {8, 128, 5};
    c.retrieval = {6, 32, 400, 128};
    c.cache = {false, false, 0.9, 3600, 67108864, {}};
    c.logging = {QStringLiteral("debug"), QStringLiteral("json"), true,
                 QStringLiteral("/var/log/querydeck/service.log")};
    return c;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void badDocuments_data();
    void badDocuments();
    void emptyObjectGivesDefaults();
    void fullFile();
    void roundTrip_data();
    void roundTrip();
    void saveAndLoadFile();
    void unknownKeysAreWarnings();
    void reservedSectionsPassSilently();
    void collectsAllErrors();
    void notAnObject_data();
    void notAnObject();
    void emptyInput_data();
    void emptyInput();
    void fileErrorsNameThePath();
    void oversized();
    void invalidUtf8_data();
    void invalidUtf8();
    void syntaxErrorPosition();
    void deeplyNested_data();
    void deeplyNested();
    void plaintextSecretsRefused_data();
    void plaintextSecretsRefused();
    void sampleFileLoadsClean();
    void defaultPath();
};

void TestConfigLoader::badDocuments_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    auto row = [](const char* name, const char* json, const char* expected) {
        QTest::newRow(name) << QByteArray(json) << QString::fromUtf8(expected);
    };
    // http
    row("port string", R"({"http": {"port": "80a"}})",
        R"(http.port: must be an integer between 0 and 65535, got "80a")");
    row("port too big", R"({"http": {"port": 70000}})",
        "http.port: must be an integer between 0 and 65535, got 70000");
    row("port negative", R"({"http": {"port": -1}})", "http.port: must be an integer");
    row("port fraction", R"({"http": {"port": 80.5}})", "http.port: must be an integer");
    row("port null", R"({"http": {"port": null}})", "got null");
    row("port array", R"({"http": {"port": [8000]}})", "http.port: must be an integer");
    row("trusted proxies not an array", R"({"http": {"trusted_proxies": "10.0.0.0/8"}})",
        R"(http.trusted_proxies: must be an array of strings, got "10.0.0.0/8")");
    row("trusted proxy not a string", R"({"http": {"trusted_proxies": ["::1", 7]}})",
        "http.trusted_proxies[1]: must be a string");
    row("trusted proxy garbage", R"({"http": {"trusted_proxies": ["10.0.0.0/8", "nginx"]}})",
        R"(http.trusted_proxies[1]: "nginx" is not an IPv4 address)");
    row("trusted proxy shorthand", R"({"http": {"trusted_proxies": ["127.1"]}})",
        R"(http.trusted_proxies[0]: "127.1" is not an IPv4 address)");
    row("trusted proxy prefix too long", R"({"http": {"trusted_proxies": ["10.0.0.0/33"]}})",
        R"(http.trusted_proxies[0]: prefix length "33" must be a number from 1 to 32 for IPv4)");
    row("trusted proxy host bits", R"({"http": {"trusted_proxies": ["10.0.0.1/8"]}})",
        R"(http.trusted_proxies[0]: "10.0.0.1/8" has bits set below its /8 prefix; write the network address (10.0.0.0/8))");
    row("trusted proxy everyone", R"({"http": {"trusted_proxies": ["::/0"]}})",
        R"(http.trusted_proxies[0]: "::/0" matches every address)");
    row("trusted proxy scope id", R"({"http": {"trusted_proxies": ["fe80::1%eth0"]}})",
        "http.trusted_proxies[0]: \"fe80::1%eth0\" is not an IPv4 address");
    row("client burst zero", R"({"rate_limit": {"client_burst": 0}})",
        "rate_limit.client_burst: must be a number between 1 and");
    row("client rate negative", R"({"rate_limit": {"client_rate_per_second": -1}})",
        "rate_limit.client_rate_per_second: must be a number between 0 and");
    row("ipv6 prefix too short", R"({"rate_limit": {"ipv6_prefix_length": 16}})",
        "rate_limit.ipv6_prefix_length: must be an integer between 32 and 128, got 16");
    row("threads zero", R"({"http": {"threads": 0}})",
        "http.threads: must be an integer between 1 and 1024, got 0");
    row("threads huge", R"({"http": {"threads": 5000}})", "http.threads");
    row("request timeout zero", R"({"http": {"request_timeout_ms": 0}})",
        "http.request_timeout_ms: must be an integer between 1 and");
    row("keep-alive negative", R"({"http": {"keep_alive_timeout_ms": -5}})",
        "http.keep_alive_timeout_ms");
    row("drain timeout string", R"({"http": {"drain_timeout_ms": "20s"}})",
        R"(http.drain_timeout_ms: must be an integer between 1 and 86400000, got "20s")");
    row("max body tiny", R"({"http": {"max_body_bytes": 10}})", "http.max_body_bytes");
    row("header timeout zero", R"({"http": {"header_timeout_ms": 0}})",
        "http.header_timeout_ms: must be an integer between 1 and");
    row("body timeout string", R"({"http": {"body_timeout_ms": "5s"}})",
        "http.body_timeout_ms: must be an integer");
    row("max connections zero", R"({"http": {"max_connections": 0}})",
        "http.max_connections: must be an integer between 1 and 1000000, got 0");
    row("per-address limit negative", R"({"http": {"max_connections_per_address": -1}})",
        "http.max_connections_per_address: must be an integer between 0 and 1000000");
    row("io threads huge", R"({"http": {"io_threads": 1000}})", "http.io_threads");
    row("host empty", R"({"http": {"host": ""}})", "http.host: must be an IP address or host name");
    row("host url", R"({"http": {"host": "http://example.org"}})", "http.host");
    row("host number", R"({"http": {"host": 127}})", "http.host: must be a string");
    row("replica id object", R"({"http": {"replica_id": {}}})",
        "http.replica_id: must be a string of at most 256 characters");
    row("http not object", R"({"http": 5})", "http: must be an object, got 5");
    // auth
    row("require token string", R"({"auth": {"require_query_token": "yes"}})",
        R"(auth.require_query_token: must be true, false or null, got "yes")");
    row("required token missing", R"({"auth": {"require_query_token": true}})",
        "auth.query_token: required because auth.require_query_token is true");
    row("public host without token", R"({"http": {"host": "0.0.0.0"}})",
        R"(auth.query_token: required because http.host "0.0.0.0" is not a loopback address)");
    row("keychain name empty", R"({"auth": {"admin_token": {"keychain": ""}}})",
        "auth.admin_token.keychain: must be a keychain entry name");
    row("env name invalid", R"({"auth": {"admin_token": {"env": "1BAD"}}})",
        "auth.admin_token.env: must be an environment variable name");
    row("env name number", R"({"auth": {"admin_token": {"env": 7}}})",
        "auth.admin_token.env: must be an environment variable name");
    row("both refs", R"({"auth": {"admin_token": {"env": "A", "keychain": "b"}}})",
        R"(auth.admin_token: a secret reference needs exactly one of "keychain" or "env")");
    row("empty ref", R"({"auth": {"admin_token": {}}})",
        R"(auth.admin_token: a secret reference needs exactly one)");
    row("ref with unknown key", R"({"auth": {"admin_token": {"env": "A", "file": "/x"}}})",
        R"(auth.admin_token: unknown key "file" in secret reference)");
    // rate_limit
    row("rate zero", R"({"rate_limit": {"rate_per_second": 0}})",
        "rate_limit.rate_per_second: must be a number greater than 0 and at most 1000000, got 0");
    row("burst below one", R"({"rate_limit": {"burst": 0.5}})",
        "rate_limit.burst: must be a number between 1 and 1000000000, got 0.5");
    row("enabled string", R"({"rate_limit": {"enabled": "yes"}})",
        R"(rate_limit.enabled: must be true or false, got "yes")");
    row("max clients zero", R"({"rate_limit": {"max_clients": 0}})", "rate_limit.max_clients");
    // corpus
    row("overlap equals chunk", R"({"corpus": {"chunk_chars": 500, "overlap_chars": 500}})",
        "corpus.overlap_chars: must be less than corpus.chunk_chars (500), got 500");
    row("overlap above small chunk", R"({"corpus": {"chunk_chars": 100}})",
        "corpus.overlap_chars: must be less than corpus.chunk_chars (100), got 160");
    row("chunk tiny", R"({"corpus": {"chunk_chars": 10}})", "corpus.chunk_chars");
    row("max file bytes string", R"({"corpus": {"max_file_bytes": "big"}})",
        R"(corpus.max_file_bytes: must be an integer between 1024 and 1073741824, got "big")");
    row("path number", R"({"corpus": {"path": 3}})", "corpus.path: must be a string");
    row("path control char", "{\"corpus\": {\"path\": \"a\\u0000b\"}}", "corpus.path");
    // embedder
    row("embedder kind", R"({"embedder": {"kind": "bert"}})",
        R"(embedder.kind: must be one of "hashing", "ollama", got "bert")");
    row("embedder ollama without model", R"({"embedder": {"kind": "ollama"}})",
        R"(embedder.ollama.model: required when embedder.kind is "ollama")");
    row("dimension zero", R"({"embedder": {"dimension": 0}})", "embedder.dimension");
    row("cache entries negative", R"({"embedder": {"cache_entries": -1}})",
        "embedder.cache_entries");
    row("url ftp", R"({"embedder": {"ollama": {"url": "ftp://host"}}})",
        R"(embedder.ollama.url: must be an http:// or https:// URL with a host, got "ftp://host")");
    row("url no host", R"({"embedder": {"ollama": {"url": "http://"}}})", "embedder.ollama.url");
    row("url garbage", R"({"embedder": {"ollama": {"url": "not a url"}}})", "embedder.ollama.url");
    row("url relative", R"({"embedder": {"ollama": {"url": "/api"}}})", "embedder.ollama.url");
    row("ollama timeout zero", R"({"embedder": {"ollama": {"timeout_ms": 0}}})",
        "embedder.ollama.timeout_ms");
    row("ollama section array", R"({"embedder": {"ollama": []}})",
        "embedder.ollama: must be an object, got an array");
    // generator
    row("generator kind", R"({"generator": {"kind": "gpt"}})",
        R"(generator.kind: must be one of "extractive", "ollama", "openai", got "gpt")");
    row("generator ollama without model", R"({"generator": {"kind": "ollama"}})",
        R"(generator.ollama.model: required when generator.kind is "ollama")");
    row("openai without key", R"({"generator": {"kind": "openai"}})",
        "generator.openai.api_key: a secret reference is required");
    row("openai without model",
        R"({"generator": {"kind": "openai", "openai": {"model": "", "api_key": {"env": "K"}}}})",
        R"(generator.openai.model: required when generator.kind is "openai")");
    row("temperature high", R"({"generator": {"openai": {"temperature": 3}}})",
        "generator.openai.temperature: must be a number between 0 and 2, got 3");
    row("max tokens zero", R"({"generator": {"openai": {"max_tokens": 0}}})",
        "generator.openai.max_tokens");
    row("retries many", R"({"generator": {"openai": {"retries": 11}}})",
        "generator.openai.retries: must be an integer between 0 and 10, got 11");
    row("max sentences zero", R"({"generator": {"max_sentences": 0}})", "generator.max_sentences");
    row("latency distribution", R"({"generator": {"latency": {"distribution": "gaussian"}}})",
        R"(generator.latency.distribution: must be one of "fixed", "uniform", "lognormal", got "gaussian")");
    row("latency mean negative", R"({"generator": {"latency": {"mean_ms": -1}}})",
        "generator.latency.mean_ms");
    row("latency enabled number", R"({"generator": {"latency": {"enabled": 1}}})",
        "generator.latency.enabled: must be true or false, got 1");
    // queue, retrieval
    row("concurrency zero", R"({"queue": {"concurrency": 0}})", "queue.concurrency");
    row("capacity negative", R"({"queue": {"capacity": -1}})", "queue.capacity");
    row("retry after zero", R"({"queue": {"retry_after_seconds": 0}})",
        "queue.retry_after_seconds");
    row("top k big", R"({"retrieval": {"default_top_k": 21}})",
        "retrieval.default_top_k: must be an integer between 1 and 20, got 21");
    row("hnsw m one", R"({"retrieval": {"hnsw_m": 1}})", "retrieval.hnsw_m");
    row("ef search zero", R"({"retrieval": {"ef_search": 0}})", "retrieval.ef_search");
    row("ef construction string", R"({"retrieval": {"ef_construction": "200"}})",
        "retrieval.ef_construction");
    // cache
    row("threshold zero", R"({"cache": {"similarity_threshold": 0}})",
        "cache.similarity_threshold: must be a number greater than 0 and at most 1, got 0");
    row("threshold above one", R"({"cache": {"similarity_threshold": 1.01}})",
        "cache.similarity_threshold: must be a number greater than 0 and at most 1, got 1.01");
    row("ttl zero", R"({"cache": {"ttl_seconds": 0}})",
        "cache.ttl_seconds: must be an integer of at least 1, got 0");
    row("max bytes small", R"({"cache": {"max_bytes": 1000}})",
        "cache.max_bytes: must be an integer of at least 1048576, got 1000");
    row("max bytes beyond exact integers", R"({"cache": {"max_bytes": 1e300}})", "cache.max_bytes");
    row("cache enabled number", R"({"cache": {"enabled": 1}})",
        "cache.enabled: must be true or false, got 1");
    // logging, version
    row("log level", R"({"logging": {"level": "verbose"}})",
        R"(logging.level: must be one of "trace", "debug", "info", "warn", "error", "critical", "off", got "verbose")");
    row("log format", R"({"logging": {"format": "xml"}})",
        R"(logging.format: must be one of "text", "json", got "xml")");
    row("log queries string", R"({"logging": {"log_queries": "no"}})", "logging.log_queries");
    row("log file number", R"({"logging": {"file": 5}})", "logging.file");
    row("version two", R"({"version": 2})",
        "version: unsupported config version 2; this QueryDeck reads version 1");
    row("version string", R"({"version": "1"})", R"(version: must be an integer)");
    // syntax
    row("trailing comma", R"({"http": {"port": 80,}})", "config: JSON syntax error at line 1");
    row("unterminated", R"({"http": {"port": 80)", "JSON syntax error");
    row("long value shortened",
        R"({"logging": {"level": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}})",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…");
}

void TestConfigLoader::badDocuments()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);

    const ConfigLoadResult result = ConfigLoader::loadJson(json);
    QVERIFY2(!result.ok(), "the document was accepted");
    QVERIFY2(result.errors.size() == 1, qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY2(
        result.errors.first().contains(expected),
        qPrintable(QStringLiteral("expected \"%1\" in: %2").arg(expected, result.errors.first())));
}

void TestConfigLoader::emptyObjectGivesDefaults()
{
    const ConfigLoadResult result = ConfigLoader::loadJson("{}");
    QVERIFY2(result.ok(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY(result.warnings.isEmpty());
    QVERIFY(result.value == ServiceConfig{});
    QCOMPARE(result.value.http.port, 8000);
    QCOMPARE(result.value.cache.similarityThreshold, 0.95);
}

void TestConfigLoader::fullFile()
{
    const ConfigLoadResult result = ConfigLoader::loadFile(configData(QStringLiteral("full.json")));
    QVERIFY2(result.ok(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join(QLatin1Char('\n'))));
    const ServiceConfig expected = expectedFull();
    QVERIFY(result.value.http == expected.http);
    QVERIFY(result.value.auth == expected.auth);
    QVERIFY(result.value.rateLimit == expected.rateLimit);
    QVERIFY(result.value.corpus == expected.corpus);
    QVERIFY(result.value.embedder == expected.embedder);
    QVERIFY(result.value.generator == expected.generator);
    QVERIFY(result.value.queue == expected.queue);
    QVERIFY(result.value.retrieval == expected.retrieval);
    QVERIFY(result.value.cache == expected.cache);
    QVERIFY(result.value.logging == expected.logging);

    // The fixture is only a real test of every key if no section keeps its default.
    const ServiceConfig defaults;
    QVERIFY(expected.http != defaults.http && expected.auth != defaults.auth &&
            expected.rateLimit != defaults.rateLimit && expected.corpus != defaults.corpus &&
            expected.embedder != defaults.embedder && expected.generator != defaults.generator &&
            expected.queue != defaults.queue && expected.retrieval != defaults.retrieval &&
            expected.cache != defaults.cache && expected.logging != defaults.logging);
}

void TestConfigLoader::roundTrip_data()
{
    QTest::addColumn<bool>("full");
    QTest::newRow("defaults") << false;
    QTest::newRow("every field changed") << true;
}

void TestConfigLoader::roundTrip()
{
    QFETCH(bool, full);
    ServiceConfig original = full ? expectedFull() : ServiceConfig{};
    const QByteArray json = ConfigLoader::toJson(original);
    const ConfigLoadResult result = ConfigLoader::loadJson(json);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join(QLatin1Char('\n'))));
    QVERIFY(result.value == original);
    QCOMPARE(ConfigLoader::toJson(result.value), json);
    QVERIFY(json.contains("\"version\": 1"));
    if (!full)
        QVERIFY(json.contains("\"query_token\": null"));
}

void TestConfigLoader::saveAndLoadFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("nested/folder/config.json"));
    QCOMPARE(ConfigLoader::saveFile(expectedFull(), path), QString());
    const ConfigLoadResult result = ConfigLoader::loadFile(path);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY(result.value == expectedFull());
    QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());

    const QString blocked = dir.filePath(QStringLiteral("file"));
    QVERIFY(writeFile(blocked, "x"));
    const QString error = ConfigLoader::saveFile({}, blocked + QStringLiteral("/config.json"));
    QVERIFY2(error.contains(blocked), qPrintable(error));
}

void TestConfigLoader::unknownKeysAreWarnings()
{
    const ConfigLoadResult result = ConfigLoader::loadJson(R"({
        "http": {"prot": 1, "port": 2},
        "cahce": {},
        "generator": {"openai": {"apiKey": {"env": "X"}, "zzzzzz": 1}},
        "queue": {"Capacity": 3}
    })");
    QVERIFY2(result.ok(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    const QStringList expected = {
        QStringLiteral("http.prot: unknown key, ignored (did you mean \"http.port\"?)"),
        QStringLiteral("cahce: unknown key, ignored (did you mean \"cache\"?)"),
        QStringLiteral("generator.openai.apiKey: unknown key, ignored (did you mean "
                       "\"generator.openai.api_key\"?)"),
        QStringLiteral("generator.openai.zzzzzz: unknown key, ignored"),
        QStringLiteral("queue.Capacity: unknown key, ignored (did you mean \"queue.capacity\"?)"),
    };
    for (const QString& warning : expected)
        QVERIFY2(result.warnings.contains(warning),
                 qPrintable(result.warnings.join(QLatin1Char('\n'))));
    QCOMPARE(result.warnings.size(), expected.size());
    QCOMPARE(result.value.http.port, 2);
}

void TestConfigLoader::reservedSectionsPassSilently()
{
    const ConfigLoadResult result = ConfigLoader::loadJson(
        R"({"version": 1, "console": {"x": 1}, "alerts": [1], "redis": "r", "fleet": null,
            "dashboards": {"deep": {"er": []}}, "fleets": {}})");
    QVERIFY(result.ok());
    QCOMPARE(result.warnings,
             QStringList{QStringLiteral("fleets: unknown key, ignored (did you mean \"fleet\"?)")});
}

void TestConfigLoader::collectsAllErrors()
{
    const ConfigLoadResult result = ConfigLoader::loadJson(R"({
        "http": {"port": "80a", "threads": 0},
        "cache": {"similarity_threshold": 2, "ttl_seconds": 0},
        "logging": {"level": "loud"},
        "version": 3,
        "unknown_section": {}
    })");
    QCOMPARE(result.errors.size(), 6);
    for (const char* field : {"http.port:", "http.threads:", "cache.similarity_threshold:",
                              "cache.ttl_seconds:", "logging.level:", "version:"}) {
        const QString name = QString::fromLatin1(field);
        QVERIFY2(std::any_of(result.errors.cbegin(), result.errors.cend(),
                             [&](const QString& e) { return e.startsWith(name); }),
                 field);
    }
    QCOMPARE(result.warnings.size(), 1);
    // Valid fields next to broken ones are still read.
    QCOMPARE(ConfigLoader::loadJson(R"({"http": {"port": "x", "threads": 7}})").value.http.threads,
             7);
}

void TestConfigLoader::notAnObject_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("array") << QByteArray("[{\"http\": {}}]");
    QTest::newRow("number") << QByteArray("5");
    QTest::newRow("string") << QByteArray("\"config\"");
    QTest::newRow("null") << QByteArray("null");
    QTest::newRow("bool") << QByteArray("true");
}

void TestConfigLoader::notAnObject()
{
    QFETCH(QByteArray, json);
    const ConfigLoadResult result = ConfigLoader::loadJson(json, QStringLiteral("test.json"));
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors.first().startsWith(QStringLiteral("test.json: ")),
             qPrintable(result.errors.first()));
    QVERIFY2(result.errors.first().contains(QStringLiteral("must be a JSON object")) ||
                 result.errors.first().contains(QStringLiteral("JSON syntax error")),
             qPrintable(result.errors.first()));
}

void TestConfigLoader::emptyInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("nothing") << QByteArray();
    QTest::newRow("whitespace") << QByteArray(" \n\t\r\n ");
}

void TestConfigLoader::emptyInput()
{
    QFETCH(QByteArray, json);
    const ConfigLoadResult fromJson = ConfigLoader::loadJson(json);
    QCOMPARE(fromJson.errors.size(), 1);
    QVERIFY2(fromJson.errors.first().contains(QStringLiteral("is empty")),
             qPrintable(fromJson.errors.first()));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("empty.json"));
    QVERIFY(writeFile(path, json));
    const ConfigLoadResult fromFile = ConfigLoader::loadFile(path);
    QCOMPARE(fromFile.errors.size(), 1);
    QVERIFY2(fromFile.errors.first().contains(path) &&
                 fromFile.errors.first().contains(QStringLiteral("is empty")),
             qPrintable(fromFile.errors.first()));
}

void TestConfigLoader::fileErrorsNameThePath()
{
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("missing.json"));
    ConfigLoadResult result = ConfigLoader::loadFile(missing);
    QCOMPARE(result.errors,
             QStringList{QStringLiteral("config file \"%1\": does not exist").arg(missing)});

    result = ConfigLoader::loadFile(dir.path());
    QCOMPARE(result.errors.size(), 1);
    QVERIFY(result.errors.first().contains(dir.path()));
    QVERIFY(result.errors.first().contains(QStringLiteral("not a regular file")));

    result = ConfigLoader::loadFile({});
    QCOMPARE(result.errors, QStringList{QStringLiteral("config file: no path given")});

    // Opens, then fails on read (EIO), even for root.
    const QString mem = QStringLiteral("/proc/self/mem");
    if (QFileInfo::exists(mem)) {
        result = ConfigLoader::loadFile(mem);
        QCOMPARE(result.errors.size(), 1);
        QVERIFY2(result.errors.first().contains(mem) &&
                     result.errors.first().contains(QStringLiteral("cannot be read")),
                 qPrintable(result.errors.first()));
    }

    // Permissions stop reads only when not running as root.
    const QString unreadable = dir.filePath(QStringLiteral("unreadable.json"));
    QVERIFY(writeFile(unreadable, "{}"));
    QVERIFY(QFile::setPermissions(unreadable, QFileDevice::WriteOwner));
    if (!QFile(unreadable).open(QIODevice::ReadOnly)) {
        result = ConfigLoader::loadFile(unreadable);
        QCOMPARE(result.errors.size(), 1);
        QVERIFY2(result.errors.first().contains(unreadable) &&
                     result.errors.first().contains(QStringLiteral("cannot be read")),
                 qPrintable(result.errors.first()));
    }
}

void TestConfigLoader::oversized()
{
    QTemporaryDir dir;
    // Exactly at the limit is accepted: an object padded with spaces.
    QByteArray atLimit = "{}";
    atLimit.append(QByteArray(ConfigLoader::kMaxFileBytes - atLimit.size(), ' '));
    const QString okPath = dir.filePath(QStringLiteral("limit.json"));
    QVERIFY(writeFile(okPath, atLimit));
    QVERIFY(ConfigLoader::loadFile(okPath).ok());

    const QByteArray over = atLimit + ' ';
    const QString bigPath = dir.filePath(QStringLiteral("big.json"));
    QVERIFY(writeFile(bigPath, over));
    ConfigLoadResult result = ConfigLoader::loadFile(bigPath);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors.first().contains(bigPath) &&
                 result.errors.first().contains(QStringLiteral("1 MiB")),
             qPrintable(result.errors.first()));

    result = ConfigLoader::loadJson(QByteArray(64 * 1024 * 1024, '['));
    QCOMPARE(result.errors.size(), 1);
    QVERIFY(result.errors.first().contains(QStringLiteral("1 MiB")));

    // /proc files report size 0 but are read with the same cap.
    if (QFileInfo::exists(QStringLiteral("/proc/self/status"))) {
        result = ConfigLoader::loadFile(QStringLiteral("/proc/self/status"));
        QCOMPARE(result.errors.size(), 1);
        QVERIFY(result.errors.first().contains(QStringLiteral("JSON syntax error")));
    }
}

void TestConfigLoader::invalidUtf8_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("position");
    QTest::newRow("lone 0xff") << QByteArray("{\"a\": \"\xff\"}") << "line 1, column 8 (offset 7)";
    QTest::newRow("overlong slash") << QByteArray("{\"a\": \"\xc0\xaf\"}") << "offset 7";
    QTest::newRow("surrogate") << QByteArray("{\"a\": \"\xed\xa0\x80\"}") << "offset 7";
    QTest::newRow("above U+10FFFF") << QByteArray("{\"a\": \"\xf4\x90\x80\x80\"}") << "offset 7";
    QTest::newRow("truncated at end") << QByteArray("{\"a\": 1}\xe2\x82") << "offset 8";
    QTest::newRow("second line after multibyte")
        << QByteArray("{\n \"é\": \"\x80\"}") << "line 2, column 8 (offset 10)";
    QTest::newRow("in a key") << QByteArray("{\"ht\xfftp\": {}}") << "offset 4";
}

void TestConfigLoader::invalidUtf8()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, position);
    const ConfigLoadResult result = ConfigLoader::loadJson(json);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors.first().contains(QStringLiteral("invalid UTF-8")) &&
                 result.errors.first().contains(position),
             qPrintable(result.errors.first()));
    // Valid multi-byte text is fine.
    QVERIFY(ConfigLoader::loadJson("{\"http\": {\"replica_id\": \"réplica-€-𝄞\"}}").ok());
}

void TestConfigLoader::syntaxErrorPosition()
{
    const QByteArray json = "{\n  \"http\": {\n    \"port\" 80\n  }\n}\n";
    const ConfigLoadResult result = ConfigLoader::loadJson(json, QStringLiteral("prod.json"));
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors.first().startsWith(
                 QStringLiteral("prod.json: JSON syntax error at line 3, column ")),
             qPrintable(result.errors.first()));
    QVERIFY(result.errors.first().contains(QStringLiteral("(offset ")));
}

void TestConfigLoader::deeplyNested_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    const QString tooDeep = QStringLiteral(
        "JSON syntax error at line 1, column 129 (offset 128): nested deeper than 128 levels");
    QTest::newRow("100k open brackets") << QByteArray(100000, '[') << tooDeep;
    QTest::newRow("deep objects") << QByteArray(200000, '{') << tooDeep;
    QByteArray deepArrays = QByteArray(5000, '[') + QByteArray(5000, ']');
    QTest::newRow("5000 closed arrays") << deepArrays << tooDeep;
    QTest::newRow("500 deep in a field")
        << QByteArray("{\"http\": {\"port\": " + QByteArray(500, '[') + QByteArray(500, ']') + "}}")
        << "JSON syntax error at line 1, column 145 (offset 144): nested deeper than 128 levels";
    // Within the nesting bound, a deep value still gets its field's error.
    const QByteArray nested = QByteArray(120, '[') + QByteArray(120, ']');
    QTest::newRow("nested value in a field")
        << QByteArray("{\"http\": {\"port\": " + nested + "}}")
        << "http.port: must be an integer between 0 and 65535, got an array";
    QTest::newRow("nested in a section slot")
        << QByteArray("{\"cache\": " + nested + "}") << "cache: must be an object, got an array";
    QTest::newRow("garbage bytes") << QByteArray("{\"a\":\x01\x02\x03}") << "JSON syntax error";
}

void TestConfigLoader::deeplyNested()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const ConfigLoadResult result = ConfigLoader::loadJson(json);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors.first().contains(expected), qPrintable(result.errors.first()));
}

void TestConfigLoader::plaintextSecretsRefused_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::newRow("admin token string")
        << QByteArray(R"({"auth": {"admin_token": "hunter2-s3cr3t"}})") << "auth.admin_token";
    QTest::newRow("query token string")
        << QByteArray(R"({"auth": {"query_token": "hunter2-s3cr3t"}})") << "auth.query_token";
    QTest::newRow("api key string")
        << QByteArray(R"({"generator": {"openai": {"api_key": "sk-hunter2-s3cr3t"}}})")
        << "generator.openai.api_key";
    QTest::newRow("secret as number")
        << QByteArray(R"({"auth": {"admin_token": 12345678901}})") << "auth.admin_token";
    QTest::newRow("secret in value key")
        << QByteArray(R"({"auth": {"admin_token": {"value": "hunter2-s3cr3t"}}})")
        << "auth.admin_token";
    QTest::newRow("secret as key name")
        << QByteArray(R"({"auth": {"admin_token": {"hunter2-s3cr3t!": 1}}})") << "auth.admin_token";
    QTest::newRow("secret in env name")
        << QByteArray(R"({"auth": {"admin_token": {"env": "hunter2-s3cr3t"}}})")
        << "auth.admin_token.env";
    QTest::newRow("secret in keychain name")
        << QByteArray("{\"auth\": {\"admin_token\": {\"keychain\": \"hunter2-s3cr3t\\n\"}}}")
        << "auth.admin_token.keychain";
    QTest::newRow("password in url")
        << QByteArray(
               R"({"generator": {"openai": {"url": "https://user:hunter2-s3cr3t@llm.example"}}})")
        << "generator.openai.url";
}

void TestConfigLoader::plaintextSecretsRefused()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    const ConfigLoadResult result = ConfigLoader::loadJson(json);
    QVERIFY(!result.ok());
    const QString all = (result.errors + result.warnings).join(QLatin1Char('\n'));
    QVERIFY2(result.errors.first().startsWith(field + QStringLiteral(": ")), qPrintable(all));
    QVERIFY2(!all.contains(QStringLiteral("hunter2")) && !all.contains(QStringLiteral("12345678")),
             qPrintable(all));
}

void TestConfigLoader::sampleFileLoadsClean()
{
    const QString path = QStringLiteral(QUERYDECK_SOURCE_DIR "/packaging/querydeck.sample.json");
    const ConfigLoadResult result = ConfigLoader::loadFile(path);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(QLatin1Char('\n'))));
    QVERIFY2(result.warnings.isEmpty(), qPrintable(result.warnings.join(QLatin1Char('\n'))));

    // Every field at its default; only the secret references are filled in.
    ServiceConfig expected;
    expected.auth.queryToken.envVar = QStringLiteral("QUERYDECK_QUERY_TOKEN");
    expected.auth.adminToken.keychainKey = QStringLiteral("admin-token");
    expected.generator.openai.apiKey.envVar = QStringLiteral("OPENAI_API_KEY");
    QVERIFY(result.value == expected);

    // ...and it names every key toJson writes, so it documents the whole schema.
    // (The console section is ConsoleConfigLoader's; tst_consoleconfig checks it.
    // The fleet section is FleetCommandConfigLoader's; tst_fleetcommandconfig.)
    QJsonObject sample = QJsonDocument::fromJson(readAll(path)).object();
    sample.remove(QStringLiteral("console"));
    sample.remove(QStringLiteral("fleet"));
    const QJsonObject written = QJsonDocument::fromJson(ConfigLoader::toJson(expected)).object();
    QCOMPARE(sample, written);
}

void TestConfigLoader::defaultPath()
{
    const QString path = ConfigLoader::defaultPath();
    QVERIFY(path.endsWith(QStringLiteral("/querydeck/config.json")));
    QVERIFY(
        path.startsWith(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)));
    QVERIFY(!path.startsWith(QDir::homePath() + QStringLiteral("/.config/")));
}

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
