#include "models/RedisTopologyModel.h"

#include "backend/dashboards/UnitFormat.h"
#include "backend/redis/RedisAuthError.h"

#include <QRegularExpression>

namespace querydeck {

namespace {

QString dash()
{
    return QStringLiteral("–");
}

} // namespace

RedisTopologyModel::RedisTopologyModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

RedisTopologyModel::Row RedisTopologyModel::nodeRow(Kind kind, const RedisNodeState& node)
{
    Row row;
    row.kind = kind;
    row.address = node.address;
    row.memoryBytes = node.usedMemoryBytes;
    row.clients = node.connectedClients;
    const bool replica = kind == Kind::Replica;
    if (replica) {
        row.lagBytes = node.lagBytes;
        row.lagSeconds = node.lagSeconds;
    }
    if (!node.reachable) {
        row.state = RedisAuthError::isAuthError(node.error) ? tr("authentication failed")
                                                            : tr("unreachable");
    } else if (replica) {
        const QString link = node.linkStatus.isEmpty() ? QStringLiteral("?") : node.linkStatus;
        row.state = node.role == QLatin1String("master") ? tr("master (promoted?)")
                                                         : tr("link %1").arg(link);
    } else {
        row.state = node.role.isEmpty() ? tr("reachable") : node.role;
    }
    row.healthy = node.reachable && (!replica || (node.role != QLatin1String("master") &&
                                                  node.linkStatus == QLatin1String("up")));
    QStringList details;
    if (node.offset >= 0)
        details << tr("offset %1").arg(node.offset);
    if (replica && node.priority >= 0)
        details << tr("priority %1").arg(node.priority);
    const QStringList flags =
        node.sentinelFlags.filter(QRegularExpression(QStringLiteral("down|fail|disconnected")));
    if (!flags.isEmpty())
        details << tr("sentinel flags %1").arg(flags.join(QLatin1Char(',')));
    if (!node.error.isEmpty())
        details << node.error;
    row.details = details.join(QStringLiteral(" · "));
    return row;
}

RedisTopologyModel::Row RedisTopologyModel::sentinelRow(const SentinelState& sentinel)
{
    Row row;
    row.kind = Kind::Sentinel;
    row.address = sentinel.address;
    row.state = sentinel.reachable ? (sentinel.quorumOk ? tr("quorum ok") : tr("no quorum"))
                                   : tr("unreachable");
    row.healthy = sentinel.reachable && sentinel.quorumOk;
    row.details = sentinel.reachable ? sentinel.quorumText : sentinel.error;
    return row;
}

void RedisTopologyModel::setTopology(const RedisTopology& topology)
{
    QList<Row> rows;
    if (!topology.master.address.isEmpty()) {
        Row master = nodeRow(Kind::Master, topology.master);
        if (!topology.masterName.isEmpty())
            master.details = master.details.isEmpty()
                                 ? topology.masterName
                                 : topology.masterName + QStringLiteral(" · ") + master.details;
        rows << master;
    }
    for (const RedisNodeState& replica : topology.replicas)
        rows << nodeRow(Kind::Replica, replica);
    for (const SentinelState& sentinel : topology.sentinels)
        rows << sentinelRow(sentinel);

    bool sameServers = rows.size() == m_rows.size();
    for (qsizetype i = 0; sameServers && i < rows.size(); ++i)
        sameServers = rows[i].kind == m_rows[i].kind && rows[i].address == m_rows[i].address;
    if (!sameServers) {
        beginResetModel();
        m_rows = rows;
        endResetModel();
        return;
    }
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (rows[i] == m_rows[i])
            continue;
        m_rows[i] = rows[i];
        emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
    }
}

void RedisTopologyModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int RedisTopologyModel::rowOf(Kind kind, const QString& address) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].kind == kind && m_rows[i].address == address)
            return int(i);
    }
    return -1;
}

int RedisTopologyModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RedisTopologyModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RedisTopologyModel::display(const Row& row, int column) const
{
    const bool dataServer = row.kind != Kind::Sentinel;
    switch (column) {
    case ServerColumn:
        return row.kind == Kind::Master    ? tr("Master")
               : row.kind == Kind::Replica ? tr("Replica")
                                           : tr("Sentinel");
    case AddressColumn:
        return row.address;
    case StateColumn:
        return row.state;
    case MemoryColumn:
        return dataServer && row.memoryBytes >= 0
                   ? UnitFormat::format(double(row.memoryBytes), QStringLiteral("bytes"))
                   : (dataServer ? dash() : QString());
    case ClientsColumn:
        return dataServer && row.clients >= 0 ? QString::number(row.clients)
                                              : (dataServer ? dash() : QString());
    case LagBytesColumn:
        if (row.kind != Kind::Replica)
            return QString();
        return row.lagBytes >= 0 ? tr("%1 B").arg(row.lagBytes) : dash();
    case LagSecondsColumn:
        if (row.kind != Kind::Replica)
            return QString();
        return row.lagSeconds >= 0 ? tr("%1 s").arg(row.lagSeconds) : dash();
    case DetailsColumn:
        return row.details;
    default:
        return {};
    }
}

QVariant RedisTopologyModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::ToolTipRole:
        return index.column() == DetailsColumn && !row.details.isEmpty() ? row.details : QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() >= MemoryColumn && index.column() <= LagSecondsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KindRole:
        return int(row.kind);
    case HealthyRole:
        return row.healthy;
    case LagBytesRole:
        return row.lagBytes;
    case LagSecondsRole:
        return row.lagSeconds;
    default:
        return {};
    }
}

QVariant RedisTopologyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ServerColumn:
        return tr("Server");
    case AddressColumn:
        return tr("Address");
    case StateColumn:
        return tr("State");
    case MemoryColumn:
        return tr("Used memory");
    case ClientsColumn:
        return tr("Clients");
    case LagBytesColumn:
        return tr("Lag");
    case LagSecondsColumn:
        return tr("Lag (s)");
    case DetailsColumn:
        return tr("Details");
    default:
        return {};
    }
}

QHash<int, QByteArray> RedisTopologyModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(KindRole, "kind");
    names.insert(HealthyRole, "healthy");
    names.insert(LagBytesRole, "lagBytes");
    names.insert(LagSecondsRole, "lagSeconds");
    return names;
}

} // namespace querydeck
