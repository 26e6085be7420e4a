#include "backend/redisops/RedisSettingsCheck.h"

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

QList<Difference> compare(const RedisReply& reply, QString* error)
{
    error->clear();
    if (reply.isError()) {
        *error = reply.errorText();
        return {};
    }
    if (reply.type != RedisReply::Type::Array) {
        *error = QStringLiteral("CONFIG GET did not return an array");
        return {};
    }
    QHash<QByteArray, QByteArray> values;
    for (const auto& [name, value] : reply.pairs())
        values.insert(name.toLower(), value);
    QList<Difference> out;
    for (const Recommendation& r : kRecommended) {
        const QString recommended =
            r.value ? QLatin1String(r.value) : QStringLiteral("a limit, not 0");
        const auto it = values.constFind(QByteArray(r.name));
        if (it == values.cend()) {
            out.append({QLatin1String(r.name), QStringLiteral("not reported"), recommended,
                        QLatin1String(r.why), false});
            continue;
        }
        const bool fine = r.value ? *it == r.value : (*it != "0" && !it->isEmpty());
        if (!fine)
            out.append({QLatin1String(r.name),
                        it->isEmpty() ? QStringLiteral("empty") : QString::fromUtf8(it->left(64)),
                        recommended, QLatin1String(r.why)});
    }
    return out;
}

QStringList differences(const RedisReply& reply)
{
    QString error;
    const QList<Difference> found = compare(reply, &error);
    if (!error.isEmpty())
        return {QStringLiteral("cannot check the recommended settings: %1").arg(error)};
    QStringList out;
    for (const Difference& d : found) {
        if (!d.reported)
            out << QStringLiteral("%1 not reported by the server").arg(d.name);
        else
            out << QStringLiteral("%1 is %2; recommended: %3 (%4)")
                       .arg(d.name, d.actual, d.recommended, d.why);
    }
    return out;
}

} // namespace querydeck::RedisSettingsCheck
