#include "models/ReplicaTableModel.h"

#include "backend/dashboards/UnitFormat.h"

#include <QDateTime>

namespace querydeck {

namespace {

qint64 uptimeSeconds(const ReplicaInfo& replica)
{
    return replica.startedAt.isValid()
               ? std::max<qint64>(0, replica.startedAt.secsTo(QDateTime::currentDateTimeUtc()))
               : -1;
}

} // namespace

ReplicaTableModel::ReplicaTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void ReplicaTableModel::setReplicaSet(ReplicaSet* set)
{
    if (m_set)
        m_set->disconnect(this);
    m_set = set;
    if (set) {
        connect(set, &ReplicaSet::replicasChanged, this,
                [this] { setReplicas(m_set ? m_set->replicas() : QList<ReplicaInfo>()); });
    }
    setReplicas(set ? set->replicas() : QList<ReplicaInfo>());
}

int ReplicaTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ReplicaTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ReplicaTableModel::formatUptime(qint64 seconds)
{
    if (seconds < 0)
        return QStringLiteral("–");
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min").arg(seconds / 60);
    if (seconds < 86400)
        return QStringLiteral("%1 h %2 min")
            .arg(seconds / 3600)
            .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 d %2 h")
        .arg(seconds / 86400)
        .arg((seconds % 86400) / 3600, 2, 10, QLatin1Char('0'));
}

QVariant ReplicaTableModel::display(const ReplicaInfo& replica, int column) const
{
    switch (column) {
    case IdColumn:
        return replica.id;
    case StateColumn:
        return replicaStateName(replica.state);
    case AddressColumn:
        return replica.address.isEmpty() ? tr("unknown") : replica.address;
    case InFlightColumn:
        return replica.inFlight < 0 ? QStringLiteral("–") : QString::number(replica.inFlight);
    case RestartsColumn:
        return replica.restarts;
    case CpuColumn: {
        const double cpu = usageOf(replica).cpuPercent;
        return cpu < 0 ? QStringLiteral("–") : QStringLiteral("%1 %").arg(cpu, 0, 'f', 1);
    }
    case RssColumn: {
        const double rss = usageOf(replica).residentBytes;
        return rss < 0 ? QStringLiteral("–") : UnitFormat::format(rss, QStringLiteral("bytes"));
    }
    case UptimeColumn:
        return formatUptime(uptimeSeconds(replica));
    }
    return {};
}

ProcessUsageSampler::Usage ReplicaTableModel::usageOf(const ReplicaInfo& replica) const
{
    return replica.pid > 0 ? m_usage.value(replica.pid) : ProcessUsageSampler::Usage{};
}

QVariant ReplicaTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ReplicaInfo& replica = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return display(replica, index.column());
    case Qt::TextAlignmentRole:
        return index.column() >= InFlightColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                : QVariant();
    case Qt::ToolTipRole:
        return replica.pid > 0 ? tr("process %1").arg(replica.pid) : QVariant();
    case IdRole:
        return replica.id;
    case StateRole:
        return int(replica.state);
    case InFlightRole:
        return replica.inFlight;
    case UptimeSecondsRole:
        return uptimeSeconds(replica);
    case CpuPercentRole:
        return usageOf(replica).cpuPercent;
    case ResidentBytesRole:
        return usageOf(replica).residentBytes;
    default:
        return {};
    }
}

QVariant ReplicaTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Replica");
    case StateColumn:
        return tr("State");
    case AddressColumn:
        return tr("Address");
    case InFlightColumn:
        return tr("In flight");
    case RestartsColumn:
        return tr("Restarts");
    case CpuColumn:
        return tr("CPU");
    case RssColumn:
        return tr("RSS");
    case UptimeColumn:
        return tr("Uptime");
    default:
        return {};
    }
}

QHash<int, QByteArray> ReplicaTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, "replicaId");
    names.insert(StateRole, "state");
    names.insert(InFlightRole, "inFlight");
    names.insert(UptimeSecondsRole, "uptimeSeconds");
    names.insert(CpuPercentRole, "cpuPercent");
    names.insert(ResidentBytesRole, "residentBytes");
    return names;
}

void ReplicaTableModel::setReplicas(const QList<ReplicaInfo>& replicas)
{
    const auto indexOf = [](const QList<ReplicaInfo>& list, const QString& id) {
        for (qsizetype i = 0; i < list.size(); ++i)
            if (list[i].id == id)
                return i;
        return qsizetype(-1);
    };
    // Rows whose replica is gone leave first (bottom up, so rows keep their numbers).
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (indexOf(replicas, m_rows[row].id) >= 0)
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    for (const ReplicaInfo& replica : replicas) {
        const qsizetype row = indexOf(m_rows, replica.id);
        if (row < 0) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.append(replica);
            endInsertRows();
            continue;
        }
        const ReplicaInfo before = m_rows[row];
        m_rows[row] = replica;
        for (int column = 0; column < ColumnCount; ++column) {
            if (display(before, column) != display(replica, column)) {
                const QModelIndex cell = index(int(row), column);
                emit dataChanged(cell, cell, {Qt::DisplayRole});
            }
        }
        if (before.state != replica.state || before.inFlight != replica.inFlight)
            emit dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1),
                             {StateRole, InFlightRole});
    }
}

void ReplicaTableModel::sampleProcesses()
{
    QList<qint64> pids;
    for (const ReplicaInfo& replica : std::as_const(m_rows))
        if (replica.pid > 0)
            pids << replica.pid;
    const QHash<qint64, ProcessUsageSampler::Usage> before = m_usage;
    m_usage = m_sampler.sample(pids);
    for (int row = 0; row < int(m_rows.size()); ++row) {
        const qint64 pid = m_rows[row].pid;
        if (pid <= 0 || before.value(pid) == m_usage.value(pid))
            continue;
        emit dataChanged(index(row, CpuColumn), index(row, RssColumn),
                         {Qt::DisplayRole, CpuPercentRole, ResidentBytesRole});
    }
}

void ReplicaTableModel::refreshUptime()
{
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, UptimeColumn), index(int(m_rows.size()) - 1, UptimeColumn),
                         {Qt::DisplayRole, UptimeSecondsRole});
}

} // namespace querydeck
