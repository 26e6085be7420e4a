#include "ui/redis/RedisTopologyView.h"

#include <QHeaderView>
#include <QRegularExpression>

namespace querydeck {

namespace {

QString lagText(const RedisNodeState& node)
{
    if (node.lagBytes < 0 && node.lagSeconds < 0)
        return QStringLiteral("–");
    return QStringLiteral("%1 B, %2 s")
        .arg(node.lagBytes < 0 ? QStringLiteral("?") : QString::number(node.lagBytes))
        .arg(node.lagSeconds < 0 ? QStringLiteral("?") : QString::number(node.lagSeconds));
}

QString stateText(const RedisNodeState& node)
{
    if (!node.reachable)
        return QObject::tr("unreachable");
    if (node.role == QLatin1String("slave"))
        return QObject::tr("replica, link %1")
            .arg(node.linkStatus.isEmpty() ? QStringLiteral("?") : node.linkStatus);
    return node.role;
}

QTreeWidgetItem* nodeItem(QTreeWidgetItem* parent, const QString& kind, const RedisNodeState& node)
{
    auto* item = new QTreeWidgetItem(parent);
    item->setText(RedisTopologyView::NameColumn, QStringLiteral("%1  %2").arg(kind, node.address));
    item->setText(RedisTopologyView::StateColumn, stateText(node));
    item->setText(RedisTopologyView::LagColumn,
                  kind == QObject::tr("Master") ? QString() : lagText(node));
    QStringList detail;
    if (node.offset >= 0)
        detail << QObject::tr("offset %1").arg(node.offset);
    if (node.priority >= 0)
        detail << QObject::tr("priority %1").arg(node.priority);
    const QStringList flags =
        node.sentinelFlags.filter(QRegularExpression(QStringLiteral("down|fail|disconnected")));
    if (!flags.isEmpty())
        detail << flags.join(QLatin1Char(','));
    if (!node.error.isEmpty())
        detail << node.error;
    item->setText(RedisTopologyView::DetailColumn, detail.join(QStringLiteral(" · ")));
    const bool healthy = node.reachable && (node.role != QLatin1String("slave") ||
                                            node.linkStatus == QLatin1String("up"));
    item->setForeground(RedisTopologyView::StateColumn,
                        healthy ? QColor(0x2e, 0x9e, 0x4f) : QColor(0xd0, 0x3b, 0x3b));
    return item;
}

} // namespace

RedisTopologyView::RedisTopologyView(QWidget* parent)
    : QTreeWidget(parent)
{
    setColumnCount(4);
    setHeaderLabels({tr("Server"), tr("State"), tr("Lag"), tr("Details")});
    setRootIsDecorated(true);
    setUniformRowHeights(true);
    setSelectionMode(QAbstractItemView::NoSelection);
    header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    header()->setStretchLastSection(true);
}

void RedisTopologyView::setMessage(const QString& text)
{
    clear();
    auto* item = new QTreeWidgetItem(this);
    item->setText(NameColumn, text);
    item->setFirstColumnSpanned(true);
}

void RedisTopologyView::setTopology(const RedisTopology& topology)
{
    clear();
    if (topology.master.address.isEmpty()) {
        setMessage(topology.problems.isEmpty() ? tr("No master found")
                                               : topology.problems.join(QStringLiteral("; ")));
        return;
    }
    QTreeWidgetItem* master = nodeItem(invisibleRootItem(), tr("Master"), topology.master);
    if (topology.kind == RedisTopology::Kind::Sentinel)
        master->setText(DetailColumn, QStringLiteral("%1 · %2").arg(topology.masterName,
                                                                    master->text(DetailColumn)));
    for (const RedisNodeState& replica : topology.replicas)
        nodeItem(master, tr("Replica"), replica);

    if (topology.kind == RedisTopology::Kind::Sentinel) {
        auto* sentinels = new QTreeWidgetItem(this);
        int reachable = 0;
        for (const SentinelState& s : topology.sentinels)
            reachable += s.reachable ? 1 : 0;
        sentinels->setText(
            NameColumn,
            tr("Sentinels (%1 of %2 reachable)").arg(reachable).arg(topology.sentinels.size()));
        sentinels->setText(StateColumn, topology.quorumOk ? tr("quorum ok") : tr("no quorum"));
        sentinels->setForeground(StateColumn, topology.quorumOk ? QColor(0x2e, 0x9e, 0x4f)
                                                                : QColor(0xd0, 0x3b, 0x3b));
        sentinels->setText(DetailColumn,
                           tr("quorum %1 · %2").arg(topology.quorum).arg(topology.quorumText));
        for (const SentinelState& s : topology.sentinels) {
            auto* item = new QTreeWidgetItem(sentinels);
            item->setText(NameColumn, tr("Sentinel  %1").arg(s.address));
            item->setText(StateColumn, s.reachable ? tr("reachable") : tr("unreachable"));
            item->setText(DetailColumn, s.error);
        }
    } else if (topology.kind == RedisTopology::Kind::Cluster) {
        auto* nodes = new QTreeWidgetItem(this);
        nodes->setText(NameColumn, tr("Cluster nodes (%1)").arg(topology.cluster.nodes.size()));
        for (const ClusterNode& node : topology.cluster.nodes) {
            auto* item = new QTreeWidgetItem(nodes);
            item->setText(NameColumn, node.address());
            item->setText(StateColumn, node.flags.join(QLatin1Char(',')));
            item->setText(DetailColumn, node.isMaster()
                                            ? tr("%1 slots").arg(node.slotCount())
                                            : tr("replica of %1").arg(node.masterId.left(8)));
        }
    }
    expandAll();
}

} // namespace querydeck
