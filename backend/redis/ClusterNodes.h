#pragma once

#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace querydeck {

// One line of CLUSTER NODES:
// <id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot>...
struct ClusterNode
{
    QString id;
    QString host;
    int port = 0;
    int busPort = 0;
    QStringList flags; // myself, master, slave, fail, fail?, handshake, noaddr, nofailover
    QString masterId;  // for a replica; empty for a master
    qint64 configEpoch = 0;
    bool linkConnected = false;
    QList<QPair<int, int>> slotRanges; // inclusive; importing/migrating entries are skipped

    bool isMaster() const { return flags.contains(QLatin1String("master")); }
    bool isReplica() const { return flags.contains(QLatin1String("slave")); }
    bool isMyself() const { return flags.contains(QLatin1String("myself")); }
    bool isFailing() const
    {
        return flags.contains(QLatin1String("fail")) || flags.contains(QLatin1String("fail?"));
    }
    int slotCount() const;
    QString address() const { return QStringLiteral("%1:%2").arg(host).arg(port); }
};

// The reply of CLUSTER NODES read into nodes; lines that cannot be read are
// named in problems (line number and why) and left out. Plain data.
struct ClusterNodes
{
    static constexpr qsizetype kMaxReplyBytes = 4 * 1024 * 1024;
    static constexpr int kSlots = 16384;

    QList<ClusterNode> nodes;
    QStringList problems;

    const ClusterNode* byId(const QString& id) const;
    QList<ClusterNode> replicasOf(const QString& masterId) const;

    static ClusterNodes parse(QByteArrayView reply);
    // The hash slot of a key (CRC16-XMODEM mod 16384, honouring {hash tags}).
    static int keySlot(QByteArrayView key);
};

} // namespace querydeck
