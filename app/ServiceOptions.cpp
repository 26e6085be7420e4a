#include "app/ServiceOptions.h"

#include "backend/common/AddressRanges.h"
#include "backend/common/IntegerOption.h"
#include "backend/common/JsonFieldReader.h"
#include "backend/config/ConfigLoader.h"
#include "backend/logging/Logging.h"
#include "backend/redis/RedisAddress.h"

#include <QFileInfo>
#include <QHostAddress>

namespace querydeck {

ServiceOptions::ServiceOptions(Set set)
    : m_set(set)
    , m_config(QStringLiteral("config"),
               QStringLiteral("Configuration file (JSON). Default: %1 when it exists.")
                   .arg(ConfigLoader::defaultPath()),
               QStringLiteral("FILE"))
    , m_corpus(QStringLiteral("corpus"),
               QStringLiteral("Folder of .md, .txt and .html documents to answer from. Default: "
                              "the bundled operator runbooks."),
               QStringLiteral("DIR"))
    , m_logLevel(QStringLiteral("log-level"),
                 QStringLiteral("trace, debug, info, warn, error, critical or off. Default: info "
                                "(serve), warn (query)."),
                 QStringLiteral("LEVEL"))
    , m_logFormat(QStringLiteral("log-format"),
                  QStringLiteral("text or json (one JSON object per line). Default: text."),
                  QStringLiteral("FORMAT"))
    , m_host(QStringLiteral("host"), QStringLiteral("Address to listen on. Default: 127.0.0.1."),
             QStringLiteral("ADDRESS"))
    , m_port(QStringLiteral("port"),
             QStringLiteral("Port to listen on; 0 picks a free one. Default: 8000."),
             QStringLiteral("PORT"))
    , m_replicaId(QStringLiteral("replica-id"),
                  QStringLiteral("Name of this replica in responses, metrics and logs. Default: "
                                 "hostname:port."),
                  QStringLiteral("ID"))
    , m_threads(
          QStringLiteral("threads"),
          QStringLiteral("HTTP handler threads, the most requests handled at once. Default: 32."),
          QStringLiteral("N"))
    , m_redis(QStringLiteral("redis"),
              QStringLiteral("Share the answer cache through Redis at URL, "
                             "redis://host:port/db. The password, if any, comes from the "
                             "keychain (cache.redis.password), never the URL."),
              QStringLiteral("URL"))
    , m_redisSentinel(QStringLiteral("redis-sentinel"),
                      QStringLiteral("Find the Redis master through these Sentinels, "
                                     "host:port[,host:port...] (with --redis-master)."),
                      QStringLiteral("HOSTS"))
    , m_redisMaster(QStringLiteral("redis-master"),
                    QStringLiteral("Name of the master the Sentinels monitor."),
                    QStringLiteral("NAME"))
    , m_adminTokenEnv(QStringLiteral("admin-token-env"),
                      QStringLiteral("Read the /admin bearer token from this environment variable "
                                     "(overrides auth.admin_token; `querydeck fleet` uses it to "
                                     "drain its replicas)."),
                      QStringLiteral("VAR"))
    , m_trustedProxy(QStringLiteral("trusted-proxy"),
                     QStringLiteral("Also trust X-Forwarded-For from this address or CIDR range "
                                    "(added to http.trusted_proxies; repeatable; `querydeck "
                                    "fleet` passes its nginx's address)."),
                     QStringLiteral("RANGE"))
{
}

void ServiceOptions::addTo(QCommandLineParser& parser) const
{
    if (m_set == ServeOptions)
        parser.addOptions({m_host, m_port});
    parser.addOptions({m_config, m_corpus});
    if (m_set == ServeOptions)
        parser.addOptions({m_replicaId, m_threads, m_redis, m_redisSentinel, m_redisMaster,
                           m_adminTokenEnv, m_trustedProxy});
    parser.addOptions({m_logLevel, m_logFormat});
}

QString ServiceOptions::configPath(const QCommandLineParser& parser) const
{
    const QString given = parser.value(m_config);
    if (!given.isEmpty())
        return given;
    return QFileInfo::exists(ConfigLoader::defaultPath()) ? ConfigLoader::defaultPath() : QString();
}

ServiceOptions::Result ServiceOptions::resolve(const QCommandLineParser& parser) const
{
    Result result;
    const QString configPath = this->configPath(parser);
    if (!configPath.isEmpty()) {
        ConfigLoadResult loaded = ConfigLoader::loadFile(configPath);
        result.warnings = loaded.warnings;
        if (!loaded.ok()) {
            result.error = QStringLiteral("%1:\n  %2")
                               .arg(configPath, loaded.errors.join(QStringLiteral("\n  ")));
            return result;
        }
        result.config = loaded.value;
    }
    ServiceConfig& config = result.config;
    if (m_set == QueryOptions)
        config.logging.level = QStringLiteral("warn");

    if (parser.isSet(m_corpus)) {
        config.corpus.path = parser.value(m_corpus);
        if (!QFileInfo(config.corpus.path).isDir()) {
            result.error =
                QStringLiteral("--corpus: \"%1\" is not a folder").arg(config.corpus.path);
            return result;
        }
    }
    if (parser.isSet(m_logLevel)) {
        config.logging.level = parser.value(m_logLevel);
        if (!LoggingSetup::parseLevel(config.logging.level)) {
            result.error = QStringLiteral("--log-level: \"%1\" is not one of trace, debug, info, "
                                          "warn, error, critical, off")
                               .arg(config.logging.level);
            return result;
        }
    }
    if (parser.isSet(m_logFormat)) {
        config.logging.format = parser.value(m_logFormat);
        if (config.logging.format != QLatin1String("text") &&
            config.logging.format != QLatin1String("json")) {
            result.error = QStringLiteral("--log-format: \"%1\" is not text or json")
                               .arg(config.logging.format);
            return result;
        }
    }
    if (m_set == QueryOptions)
        return result;

    if (parser.isSet(m_host)) {
        config.http.host = parser.value(m_host);
        if (QHostAddress(config.http.host).isNull()) {
            result.error = QStringLiteral("--host: \"%1\" is not an IPv4 or IPv6 address")
                               .arg(config.http.host);
            return result;
        }
    }
    if (parser.isSet(m_port)) {
        if (!parseIntegerOption(parser.value(m_port), 0, 65535, &config.http.port)) {
            result.error = QStringLiteral("--port: \"%1\" is not a port number (0-65535)")
                               .arg(parser.value(m_port));
            return result;
        }
    }
    if (parser.isSet(m_threads)) {
        if (!parseIntegerOption(parser.value(m_threads), 1, 1024, &config.http.threads)) {
            result.error = QStringLiteral("--threads: \"%1\" is not a number from 1 to 1024")
                               .arg(parser.value(m_threads));
            return result;
        }
    }
    if (QString error = resolveRedis(parser, config.cache.redis); !error.isEmpty()) {
        result.error = error;
        return result;
    }
    if (parser.isSet(m_replicaId)) {
        config.http.replicaId = parser.value(m_replicaId);
        if (config.http.replicaId.isEmpty() || config.http.replicaId.size() > 128) {
            result.error = QStringLiteral("--replica-id: must be 1 to 128 characters");
            return result;
        }
    }
    if (parser.isSet(m_adminTokenEnv)) {
        if (!JsonFieldReader::isValidEnvName(parser.value(m_adminTokenEnv))) {
            result.error = QStringLiteral("--admin-token-env: \"%1\" is not a variable name")
                               .arg(parser.value(m_adminTokenEnv));
            return result;
        }
        // Only the variable's name is taken here; SecretStore reads and checks its value.
        config.auth.adminToken = SecretRef{{}, parser.value(m_adminTokenEnv)};
    }
    for (const QString& range : parser.values(m_trustedProxy)) {
        QString problem;
        if (!AddressRanges::parseRange(range, &problem)) {
            result.error = QStringLiteral("--trusted-proxy: %1").arg(problem);
            return result;
        }
        if (!config.http.trustedProxies.contains(range))
            config.http.trustedProxies << range;
    }
    return result;
}

QString ServiceOptions::resolveRedis(const QCommandLineParser& parser, RedisConfig& redis) const
{
    const bool url = parser.isSet(m_redis);
    const bool sentinel = parser.isSet(m_redisSentinel);
    if (url && sentinel)
        return QStringLiteral("--redis and --redis-sentinel: give one or the other");
    if (parser.isSet(m_redisMaster) && !sentinel && redis.sentinels.isEmpty())
        return QStringLiteral("--redis-master: needs --redis-sentinel");
    if (url) {
        const auto parsed = RedisAddressParser::parseUrl(parser.value(m_redis));
        if (!parsed.ok())
            return QStringLiteral("--redis: %1").arg(parsed.error);
        redis.url = parser.value(m_redis);
        redis.sentinels.clear();
        redis.masterName.clear();
    }
    if (sentinel) {
        const auto parsed = RedisAddressParser::parseList(parser.value(m_redisSentinel), 26379);
        if (!parsed.ok())
            return QStringLiteral("--redis-sentinel: %1").arg(parsed.error);
        redis.sentinels = parser.value(m_redisSentinel);
        redis.url.clear();
    }
    if (parser.isSet(m_redisMaster)) {
        redis.masterName = parser.value(m_redisMaster).trimmed();
        if (redis.masterName.isEmpty() || redis.masterName.size() > 256)
            return QStringLiteral("--redis-master: must be 1 to 256 characters");
    }
    if (!redis.sentinels.isEmpty() && redis.masterName.isEmpty())
        return QStringLiteral("--redis-sentinel: needs --redis-master NAME");
    return {};
}

} // namespace querydeck
