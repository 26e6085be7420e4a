#pragma once

#include "backend/service/ServiceConfig.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

namespace querydeck {

// The command-line options that shape a ServiceConfig, shared by `serve` and
// `query`: the config file is loaded first, then each given option overrides
// its field. Errors name the option and the value.
class ServiceOptions
{
public:
    enum Set
    {
        QueryOptions,
        ServeOptions
    };

    explicit ServiceOptions(Set set);
    void addTo(QCommandLineParser& parser) const;

    struct Result
    {
        ServiceConfig config;
        QString error;
        QStringList warnings;
    };
    Result resolve(const QCommandLineParser& parser) const;
    // --redis / --redis-sentinel / --redis-master over cache.redis; an error or empty.
    QString resolveRedis(const QCommandLineParser& parser, RedisConfig& redis) const;
    // The config file in effect: --config, else the default path when it
    // exists, else empty (built-in defaults).
    QString configPath(const QCommandLineParser& parser) const;

private:
    Set m_set;
    QCommandLineOption m_config;
    QCommandLineOption m_corpus;
    QCommandLineOption m_logLevel;
    QCommandLineOption m_logFormat;
    QCommandLineOption m_host;
    QCommandLineOption m_port;
    QCommandLineOption m_replicaId;
    QCommandLineOption m_threads;
    QCommandLineOption m_redis;
    QCommandLineOption m_redisSentinel;
    QCommandLineOption m_redisMaster;
    QCommandLineOption m_adminTokenEnv;
    QCommandLineOption m_trustedProxy;
};

} // namespace querydeck
