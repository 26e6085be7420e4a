#include "backend/redis/ClusterNodes.h"

#include <QRegularExpression>

namespace querydeck {

namespace {

const QStringList kKnownFlags{
    QStringLiteral("myself"), QStringLiteral("master"),     QStringLiteral("slave"),
    QStringLiteral("fail"),   QStringLiteral("fail?"),      QStringLiteral("handshake"),
    QStringLiteral("noaddr"), QStringLiteral("nofailover"), QStringLiteral("noflags")};

bool isNodeId(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-f]{40}$"));
    return pattern.match(text).hasMatch();
}

// Returns an empty string when the line was read into `node`, else why not.
QString readLine(const QStringList& f, ClusterNode& node)
{
    if (f.size() < 8)
        return QStringLiteral("%1 fields, at least 8 expected").arg(f.size());
    if (!isNodeId(f[0]))
        return QStringLiteral("node id \"%1\" is not 40 hex digits").arg(f[0].left(48));
    node.id = f[0];

    // ip:port@cport[,hostname]; ip may be empty for a node without address.
    QString address = f[1].section(QLatin1Char(','), 0, 0);
    const qsizetype at = address.indexOf(QLatin1Char('@'));
    bool ok = true;
    if (at >= 0) {
        node.busPort = address.mid(at + 1).toInt(&ok);
        if (!ok || node.busPort < 1 || node.busPort > 65535)
            return QStringLiteral("bad cluster bus port in \"%1\"").arg(f[1].left(64));
        address.truncate(at);
    }
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return QStringLiteral("address \"%1\" has no port").arg(f[1].left(64));
    node.host = address.left(colon);
    node.port = address.mid(colon + 1).toInt(&ok);
    if (!ok || node.port < 0 || node.port > 65535)
        return QStringLiteral("bad port in \"%1\"").arg(f[1].left(64));

    node.flags = f[2].split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& flag : std::as_const(node.flags)) {
        if (!kKnownFlags.contains(flag))
            return QStringLiteral("unknown flag \"%1\"").arg(flag.left(32));
    }
    if (node.flags.contains(QLatin1String("master")) ==
            node.flags.contains(QLatin1String("slave")) &&
        !node.flags.contains(QLatin1String("handshake")) &&
        !node.flags.contains(QLatin1String("noflags")))
        return QStringLiteral("flags \"%1\" name neither master nor replica, or both")
            .arg(f[2].left(64));

    if (f[3] != QLatin1String("-")) {
        if (!isNodeId(f[3]))
            return QStringLiteral("master id \"%1\" is not 40 hex digits").arg(f[3].left(48));
        node.masterId = f[3];
    }
    if (node.flags.contains(QLatin1String("slave")) && node.masterId.isEmpty())
        return QStringLiteral("replica without a master id");
    node.configEpoch = f[6].toLongLong(&ok);
    if (!ok || node.configEpoch < 0)
        return QStringLiteral("config epoch \"%1\" is not a number").arg(f[6].left(24));
    if (f[7] != QLatin1String("connected") && f[7] != QLatin1String("disconnected"))
        return QStringLiteral("link state \"%1\" is neither connected nor disconnected")
            .arg(f[7].left(24));
    node.linkConnected = f[7] == QLatin1String("connected");

    for (qsizetype i = 8; i < f.size(); ++i) {
        const QString& slot = f[i];
        if (slot.startsWith(QLatin1Char('[')))
            continue; // [slot->-id] / [slot-<-id]: a migration in progress
        const qsizetype dash = slot.indexOf(QLatin1Char('-'));
        bool okFrom = false, okTo = false;
        const int from = (dash < 0 ? slot : slot.left(dash)).toInt(&okFrom);
        const int to = dash < 0 ? from : slot.mid(dash + 1).toInt(&okTo);
        if (dash < 0)
            okTo = okFrom;
        if (!okFrom || !okTo || from < 0 || to >= ClusterNodes::kSlots || from > to)
            return QStringLiteral("bad slot range \"%1\"").arg(slot.left(24));
        node.slotRanges.append({from, to});
    }
    return {};
}

} // namespace

int ClusterNode::slotCount() const
{
    int n = 0;
    for (const auto& [from, to] : slotRanges)
        n += to - from + 1;
    return n;
}

const ClusterNode* ClusterNodes::byId(const QString& id) const
{
    for (const ClusterNode& node : nodes) {
        if (node.id == id)
            return &node;
    }
    return nullptr;
}

QList<ClusterNode> ClusterNodes::replicasOf(const QString& masterId) const
{
    QList<ClusterNode> out;
    for (const ClusterNode& node : nodes) {
        if (node.isReplica() && node.masterId == masterId)
            out.append(node);
    }
    return out;
}

int ClusterNodes::keySlot(QByteArrayView key)
{
    const qsizetype open = key.indexOf('{');
    if (open >= 0) {
        const qsizetype close = key.indexOf('}', open + 1);
        if (close > open + 1)
            key = key.sliced(open + 1, close - open - 1);
    }
    quint16 crc = 0;
    for (const char c : key) {
        crc ^= quint16(quint8(c)) << 8;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? quint16((crc << 1) ^ 0x1021) : quint16(crc << 1);
    }
    return crc % kSlots;
}

ClusterNodes ClusterNodes::parse(QByteArrayView reply)
{
    ClusterNodes result;
    if (reply.trimmed().isEmpty()) {
        result.problems << QStringLiteral("empty CLUSTER NODES reply");
        return result;
    }
    if (reply.size() > kMaxReplyBytes) {
        result.problems << QStringLiteral("CLUSTER NODES reply of %1 bytes, over the %2 byte limit")
                               .arg(reply.size())
                               .arg(kMaxReplyBytes);
        return result;
    }
    const QStringList lines = QString::fromUtf8(reply).split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        ClusterNode node;
        const QString problem = readLine(line.split(QLatin1Char(' '), Qt::SkipEmptyParts), node);
        if (!problem.isEmpty()) {
            result.problems << QStringLiteral("line %1: %2").arg(i + 1).arg(problem);
            continue;
        }
        if (result.byId(node.id)) {
            result.problems
                << QStringLiteral("line %1: node %2 listed twice").arg(i + 1).arg(node.id.left(8));
            continue;
        }
        result.nodes.append(node);
    }
    for (const ClusterNode& node : std::as_const(result.nodes)) {
        if (node.isReplica() && !result.byId(node.masterId))
            result.problems << QStringLiteral("replica %1 follows unknown master %2")
                                   .arg(node.address(), node.masterId.left(8));
    }
    return result;
}

} // namespace querydeck
