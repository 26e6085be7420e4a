#include "BenchCorpus.h"

#include <QStringList>
#include <cstdint>

namespace querydeck::bench {

namespace {

const QStringList& vocabulary()
{
    static const QStringList words =
        QStringLiteral(
            "replica redis sentinel failover cache latency queue drain nginx upstream "
            "alert threshold prometheus metric panel dashboard eviction memory cpu disk "
            "scale autoscaler kubernetes deployment pod readiness liveness token bucket "
            "rate limit retrieval chunk corpus index embedding generator ollama timeout "
            "retry backoff quorum master lag offset stream keyspace hit miss ratio "
            "histogram quantile error budget incident rollback upgrade config secret "
            "keychain webhook silence acknowledge wall playlist screenshot cluster shard")
            .split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return words;
}

std::uint64_t mix(std::uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

} // namespace

QString question(int i)
{
    const QStringList& words = vocabulary();
    QStringList picked{QStringLiteral("how"), QStringLiteral("do"), QStringLiteral("i")};
    std::uint64_t state = mix(std::uint64_t(i) + 1);
    for (int w = 0; w < 11; ++w) {
        state = mix(state + std::uint64_t(w));
        picked << words.at(int(state % std::uint64_t(words.size())));
    }
    picked << QString::number(i);
    return picked.join(QLatin1Char(' '));
}

QString reworded(int i)
{
    return question(i) + QStringLiteral(" please");
}

} // namespace querydeck::bench
