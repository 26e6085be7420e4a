#include "redis/RedisSettingsCheck.h"

#include <QHash>

namespace querydeck::RedisSettingsCheck {

namespace {

struct Recommendation
{
    const char* name;
    const char* value; // nullptr: any value except "0"
    const char* why;
};

// Kept in step with packaging/redis/ and the corpus runbook redis-shared-cache.md.
constexpr Recommendation kRecommended[] = {
    {"maxmemory", nullptr, "without a limit Redis grows until the host runs out of memory"},
    {"maxmemory-policy", "allkeys-lru", "a full Redis should evict old answers, not refuse writes"},
    {"appendonly", "yes", "the cache should survive a restart"},
    {"appendfsync", "everysec", "at most one second of writes lost, without fsync per write"},
};

} // namespace

QByteArrayList configGetCommand()
{
    QByteArrayList args{QByteArrayLiteral("CONFIG"), QByteArrayLiteral("GET")};
    for (const Recommendation& r : kRecommended)
        args << QByteArray(r.name);
    return args;
}

QStringList differences(const RedisReply& reply)
{
    if (reply.isError())
        return {QStringLiteral("cannot check the recommended settings: %1").arg(reply.errorText())};
    if (reply.type != RedisReply::Type::Array)
        return {QStringLiteral("cannot check the recommended settings: CONFIG GET did not "
                               "return an array")};
    QHash<QByteArray, QByteArray> values;
    for (const auto& [name, value] : reply.pairs())
        values.insert(name.toLower(), value);
    QStringList out;
    for (const Recommendation& r : kRecommended) {
        const auto it = values.constFind(QByteArray(r.name));
        if (it == values.cend()) {
            out << QStringLiteral("%1 not reported by the server").arg(QLatin1String(r.name));
            continue;
        }
        const bool fine = r.value ? *it == r.value : (*it != "0" && !it->isEmpty());
        if (!fine)
            out << QStringLiteral("%1 is %2; recommended: %3 (%4)")
                       .arg(QLatin1String(r.name),
                            it->isEmpty() ? QStringLiteral("empty")
                                          : QString::fromUtf8(it->left(64)),
                            r.value ? QLatin1String(r.value) : QLatin1String("a limit, not 0"),
                            QLatin1String(r.why));
    }
    return out;
}

} // namespace querydeck::RedisSettingsCheck
