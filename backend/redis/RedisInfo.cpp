#include "backend/redis/RedisInfo.h"

#include <QHash>
#include <QLatin1StringView>

namespace querydeck {

namespace {

// key=value pairs separated by commas, as in the dbN and slaveN lines.
QHash<QString, QString> splitPairs(const QString& value)
{
    QHash<QString, QString> pairs;
    for (const QString& item : value.split(QLatin1Char(','))) {
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        if (eq > 0)
            pairs.insert(item.left(eq), item.mid(eq + 1));
    }
    return pairs;
}

class Reader
{
public:
    explicit Reader(RedisInfo& info)
        : m_info(info)
    {
    }

    void line(int number, const QString& key, const QString& value)
    {
        m_number = number;
        m_key = key;
        if (key == QLatin1String("redis_version"))
            m_info.version = value;
        else if (key == QLatin1String("role"))
            readRole(value);
        else if (key == QLatin1String("used_memory"))
            m_info.usedMemoryBytes = count(value);
        else if (key == QLatin1String("used_memory_rss"))
            m_info.usedMemoryRssBytes = count(value);
        else if (key == QLatin1String("maxmemory"))
            m_info.maxMemoryBytes = count(value);
        else if (key == QLatin1String("mem_fragmentation_ratio"))
            m_info.fragmentationRatio = ratio(value);
        else if (key == QLatin1String("keyspace_hits"))
            m_info.keyspaceHits = count(value);
        else if (key == QLatin1String("keyspace_misses"))
            m_info.keyspaceMisses = count(value);
        else if (key == QLatin1String("evicted_keys"))
            m_info.evictedKeys = count(value);
        else if (key == QLatin1String("expired_keys"))
            m_info.expiredKeys = count(value);
        else if (key == QLatin1String("connected_clients"))
            m_info.connectedClients = count(value);
        else if (key == QLatin1String("master_repl_offset"))
            m_info.masterReplOffset = count(value);
        else if (key == QLatin1String("master_host"))
            m_info.masterHost = value;
        else if (key == QLatin1String("master_port"))
            m_info.masterPort = port(value);
        else if (key == QLatin1String("master_link_status"))
            m_info.masterLinkStatus = value;
        else if (key == QLatin1String("master_last_io_seconds_ago"))
            m_info.masterLastIoSecondsAgo = signedNumber(value); // -1 while never connected
        else if (key == QLatin1String("slave_repl_offset"))
            m_info.replicaOffset = count(value);
        else if (isIndexed(key, QLatin1String("slave")))
            readReplica(value);
        else if (isIndexed(key, QLatin1String("db")))
            readDb(key, value);
    }

private:
    static bool isIndexed(const QString& key, QLatin1StringView prefix)
    {
        if (!key.startsWith(prefix) || key.size() == prefix.size())
            return false;
        for (qsizetype i = prefix.size(); i < key.size(); ++i) {
            if (!key.at(i).isDigit())
                return false;
        }
        return true;
    }

    void problem(const QString& what)
    {
        m_info.problems.append(QStringLiteral("line %1 (%2): %3").arg(m_number).arg(m_key, what));
    }

    std::optional<qint64> signedNumber(const QString& value)
    {
        bool ok = false;
        const qint64 n = value.toLongLong(&ok);
        if (!ok) {
            problem(QStringLiteral("not an integer: \"%1\"").arg(value.left(40)));
            return std::nullopt;
        }
        return n;
    }

    std::optional<qint64> count(const QString& value)
    {
        const std::optional<qint64> n = signedNumber(value);
        if (n && *n < 0) {
            problem(QStringLiteral("negative count %1").arg(*n));
            return std::nullopt;
        }
        return n;
    }

    std::optional<double> ratio(const QString& value)
    {
        bool ok = false;
        const double r = value.toDouble(&ok);
        if (!ok || !(r >= 0.0) || r > 1e9) {
            problem(QStringLiteral("not a ratio: \"%1\"").arg(value.left(40)));
            return std::nullopt;
        }
        return r;
    }

    int port(const QString& value)
    {
        bool ok = false;
        const int p = value.toInt(&ok);
        if (!ok || p <= 0 || p > 65535) {
            problem(QStringLiteral("not a port: \"%1\"").arg(value.left(40)));
            return 0;
        }
        return p;
    }

    void readRole(const QString& value)
    {
        if (value != QLatin1String("master") && value != QLatin1String("slave")) {
            problem(QStringLiteral("unknown role \"%1\"").arg(value.left(40)));
            return;
        }
        m_info.role = value;
    }

    void readReplica(const QString& value)
    {
        const QHash<QString, QString> pairs = splitPairs(value);
        if (!pairs.contains(QStringLiteral("ip")) || !pairs.contains(QStringLiteral("offset"))) {
            problem(QStringLiteral("replica line without ip= and offset="));
            return;
        }
        RedisReplicaLink link;
        link.ip = pairs.value(QStringLiteral("ip"));
        link.port = port(pairs.value(QStringLiteral("port")));
        link.state = pairs.value(QStringLiteral("state"));
        const std::optional<qint64> offset = count(pairs.value(QStringLiteral("offset")));
        if (!offset || link.port == 0)
            return;
        link.offset = *offset;
        if (pairs.contains(QStringLiteral("lag"))) // absent before Redis 3.0
            link.lagSeconds = count(pairs.value(QStringLiteral("lag"))).value_or(-1);
        m_info.replicas.append(link);
    }

    void readDb(const QString& key, const QString& value)
    {
        const QHash<QString, QString> pairs = splitPairs(value);
        if (!pairs.contains(QStringLiteral("keys"))) {
            problem(QStringLiteral("database line without keys="));
            return;
        }
        const std::optional<qint64> keys = count(pairs.value(QStringLiteral("keys")));
        if (!keys)
            return;
        RedisDbKeys db;
        db.db = key.mid(2).toInt();
        db.keys = *keys;
        db.expires = count(pairs.value(QStringLiteral("expires"), QStringLiteral("0"))).value_or(0);
        m_info.databases.append(db);
    }

    RedisInfo& m_info;
    int m_number = 0;
    QString m_key;
};

} // namespace

qint64 RedisInfo::totalKeys() const
{
    qint64 total = 0;
    for (const RedisDbKeys& db : databases)
        total += db.keys;
    return total;
}

RedisInfo RedisInfo::parse(QByteArrayView reply)
{
    RedisInfo info;
    if (reply.trimmed().isEmpty()) {
        info.problems.append(QStringLiteral("empty INFO reply"));
        return info;
    }
    if (reply.size() > kMaxReplyBytes) {
        info.problems.append(QStringLiteral("INFO reply of %1 bytes, read only the first %2")
                                 .arg(reply.size())
                                 .arg(kMaxReplyBytes));
        reply = reply.first(kMaxReplyBytes);
    }

    Reader reader(info);
    int number = 0;
    qsizetype start = 0;
    while (start < reply.size()) {
        qsizetype end = reply.indexOf('\n', start);
        if (end < 0)
            end = reply.size();
        QByteArrayView raw = reply.sliced(start, end - start);
        start = end + 1;
        ++number;
        if (raw.endsWith('\r'))
            raw.chop(1);
        if (raw.isEmpty() || raw.startsWith('#'))
            continue;
        if (raw.size() > kMaxLineBytes) {
            info.problems.append(QStringLiteral("line %1: longer than %2 bytes, skipped")
                                     .arg(number)
                                     .arg(kMaxLineBytes));
            continue;
        }
        const qsizetype colon = raw.indexOf(':');
        if (colon <= 0 || raw.contains('\0')) {
            info.problems.append(
                QStringLiteral("line %1: not key:value: \"%2\"")
                    .arg(number)
                    .arg(QString::fromUtf8(raw.first(qMin<qsizetype>(raw.size(), 40)))
                             .replace(QChar(0), QLatin1Char('?'))));
            continue;
        }
        const QString key = QString::fromUtf8(raw.first(colon)).trimmed();
        const QString value = QString::fromUtf8(raw.sliced(colon + 1)).trimmed();
        if (info.fields.contains(key))
            info.problems.append(
                QStringLiteral("line %1 (%2): repeated, the last one counts").arg(number).arg(key));
        info.fields.insert(key, value);
        reader.line(number, key, value);
    }

    if (info.masterReplOffset) {
        for (RedisReplicaLink& link : info.replicas)
            link.lagBytes = qMax<qint64>(0, *info.masterReplOffset - link.offset);
    }
    if (info.fields.isEmpty())
        info.problems.append(QStringLiteral("no key:value line in the INFO reply"));
    return info;
}

} // namespace querydeck
