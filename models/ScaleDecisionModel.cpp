#include "models/ScaleDecisionModel.h"

#include "backend/dashboards/UnitFormat.h"

#include <QDateTime>

namespace querydeck {

ScaleDecisionModel::ScaleDecisionModel(int limit, QObject* parent)
    : QAbstractTableModel(parent)
    , m_limit(std::max(1, limit))
{
}

int ScaleDecisionModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ScaleDecisionModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {

// unit: a UnitFormat unit, so 2 ms reads "2.0 ms", not "0.00 s".
QVariant metric(const std::optional<double>& value, int precision, const QString& unit)
{
    if (!value)
        return QStringLiteral("—");
    return UnitFormat::format(*value, unit, precision);
}

} // namespace

QVariant ScaleDecisionModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ScaleDecision& d = m_rows.at(std::size_t(index.row()));
    switch (role) {
    case DesiredRole:
        return d.desired;
    case CurrentRole:
        return d.current;
    case ChangesRole:
        return d.changes();
    case Qt::ToolTipRole:
        return d.describe();
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(d.t).toString("HH:mm:ss");
        case ChangeColumn:
            return d.changes() ? QStringLiteral("%1 → %2").arg(d.current).arg(d.desired)
                               : QStringLiteral("%1 (hold)").arg(d.current);
        case ReasonColumn:
            return d.reason;
        case CpuColumn:
            return metric(d.inputs.cpuPercent, 0, "percent");
        case LatencyColumn:
            return metric(d.inputs.latencySeconds, 1, "s");
        case QueueColumn:
            return metric(d.inputs.queueDepth, 0, "none");
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant ScaleDecisionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* titles[] = {"Time", "Replicas", "Reason", "CPU", "Latency", "Queue"};
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

QHash<int, QByteArray> ScaleDecisionModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(DesiredRole, "desired");
    names.insert(CurrentRole, "current");
    names.insert(ChangesRole, "changes");
    return names;
}

void ScaleDecisionModel::addDecision(const ScaleDecision& decision)
{
    if (int(m_rows.size()) >= m_limit) {
        const int last = int(m_rows.size()) - 1;
        beginRemoveRows({}, last, last);
        m_rows.pop_back();
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_rows.push_front(decision);
    endInsertRows();
}

void ScaleDecisionModel::clear()
{
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

} // namespace querydeck
