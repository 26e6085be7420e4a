#include "models/AlertListModel.h"

#include "backend/metrics/PromDuration.h"

#include <QDateTime>
#include <QSet>

namespace querydeck {

QString labelsText(const QMap<QString, QString>& labels)
{
    QStringList parts;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        parts << QStringLiteral("%1=\"%2\"").arg(it.key(), it.value());
    return parts.join(QStringLiteral(", "));
}

QString alertValueText(const std::optional<double>& value)
{
    return value ? QString::number(*value, 'g', 6) : QStringLiteral("–");
}

AlertListModel::AlertListModel(int maxRows, QObject* parent)
    : QAbstractTableModel(parent)
    , m_maxRows(std::max(1, maxRows))
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
}

int AlertListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlertListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int AlertListModel::rowOf(const QString& key) const
{
    return m_index.value(key, -1);
}

void AlertListModel::setClock(Clock clock)
{
    m_clock = std::move(clock);
    refreshRelativeTimes();
}

QString AlertListModel::relativeTime(qint64 sinceMs, qint64 nowMs)
{
    if (sinceMs <= 0)
        return QStringLiteral("–");
    const qint64 ago = std::max<qint64>(0, nowMs - sinceMs);
    if (ago < 1000)
        return tr("just now");
    // Seconds only matter in the first minutes; "2h13m" reads better than "2h13m7s".
    const qint64 unit = ago >= 3600 * 1000 ? 60 * 1000 : 1000;
    return tr("%1 ago").arg(PromDuration::format(ago / unit * unit));
}

int AlertListModel::stateRank(AlertState state)
{
    switch (state) {
    case AlertState::Firing:
        return 0;
    case AlertState::Recovering:
        return 1;
    case AlertState::Pending:
        return 2;
    case AlertState::Error:
        return 3;
    case AlertState::NoData:
        return 4;
    case AlertState::Normal:
        return 5;
    }
    return 5;
}

QVariant AlertListModel::display(const AlertInstance& alert, int column) const
{
    switch (column) {
    case SeverityColumn:
        return severityName(alert.severity);
    case RuleColumn:
        return alert.ruleName;
    case LabelsColumn:
        return labelsText(alert.labels);
    case StateColumn: {
        QString text = alertStateName(alert.status.state);
        if (alert.silenced)
            text += tr(" (silenced)");
        if (alert.acknowledged)
            text += tr(" (ack)");
        return text;
    }
    case ValueColumn:
        return alert.status.state == AlertState::Error ? alert.status.error
                                                       : alertValueText(alert.status.value);
    case SinceColumn:
        return relativeTime(alert.status.stateSinceMs, m_clock());
    case SummaryColumn:
        return alert.summary;
    }
    return {};
}

QVariant AlertListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AlertInstance& a = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(a, index.column());
    case Qt::ToolTipRole:
        if (index.column() == SinceColumn && a.status.stateSinceMs > 0)
            return QDateTime::fromMSecsSinceEpoch(a.status.stateSinceMs)
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        if (index.column() == SummaryColumn && !a.description.isEmpty())
            return a.description;
        return {};
    case KeyRole:
        return a.key();
    case RuleNameRole:
        return a.ruleName;
    case SeverityRole:
        return int(a.severity);
    case StateRole:
        return int(a.status.state);
    case StateRankRole:
        return stateRank(a.status.state);
    case SinceRole:
        return a.status.stateSinceMs;
    case ValueRole:
        return a.status.value ? QVariant(*a.status.value) : QVariant();
    case SilencedRole:
        return a.silenced;
    case AcknowledgedRole:
        return a.acknowledged;
    case LabelsRole: {
        QVariantMap map;
        for (auto it = a.labels.cbegin(); it != a.labels.cend(); ++it)
            map.insert(it.key(), it.value());
        return map;
    }
    }
    return {};
}

QVariant AlertListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case RuleColumn:
        return tr("Rule");
    case LabelsColumn:
        return tr("Labels");
    case StateColumn:
        return tr("State");
    case ValueColumn:
        return tr("Value");
    case SinceColumn:
        return tr("Since");
    case SummaryColumn:
        return tr("Summary");
    }
    return {};
}

QHash<int, QByteArray> AlertListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(KeyRole, "key");
    names.insert(RuleNameRole, "ruleName");
    names.insert(SeverityRole, "severity");
    names.insert(StateRole, "state");
    names.insert(StateRankRole, "stateRank");
    names.insert(SinceRole, "since");
    names.insert(ValueRole, "value");
    names.insert(SilencedRole, "silenced");
    names.insert(AcknowledgedRole, "acknowledged");
    names.insert(LabelsRole, "labels");
    return names;
}

void AlertListModel::setAlerts(const QList<AlertInstance>& alerts)
{
    QHash<QString, const AlertInstance*> next;
    for (const AlertInstance& a : alerts)
        next.insert(a.key(), &a);

    // Remove vanished keys from the back so earlier row numbers stay valid.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (next.contains(m_rows.at(row).key()))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    m_index.clear();
    for (int row = 0; row < m_rows.size(); ++row)
        m_index.insert(m_rows.at(row).key(), row);

    for (const AlertInstance& a : alerts) {
        const QString key = a.key();
        const int row = m_index.value(key, -1);
        if (row >= 0) {
            updateRow(row, a);
            continue;
        }
        if (m_rows.size() >= m_maxRows) {
            ++m_dropped;
            continue;
        }
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at);
        m_rows.append(a);
        m_index.insert(key, at);
        endInsertRows();
    }
}

void AlertListModel::updateRow(int row, const AlertInstance& next)
{
    AlertInstance& cur = m_rows[row];
    QList<int> changedColumns;
    QList<int> roles{Qt::DisplayRole};
    for (int c = 0; c < ColumnCount; ++c) {
        // The since text moves with the clock; compare the underlying time instead.
        const bool differs = c == SinceColumn ? cur.status.stateSinceMs != next.status.stateSinceMs
                                              : display(cur, c) != display(next, c);
        if (differs)
            changedColumns << c;
    }
    if (cur.severity != next.severity)
        roles << SeverityRole;
    if (cur.status.state != next.status.state)
        roles << StateRole << StateRankRole;
    if (cur.status.stateSinceMs != next.status.stateSinceMs)
        roles << SinceRole << Qt::ToolTipRole;
    if (cur.status.value != next.status.value)
        roles << ValueRole;
    if (cur.silenced != next.silenced)
        roles << SilencedRole;
    if (cur.acknowledged != next.acknowledged)
        roles << AcknowledgedRole;
    if (cur.description != next.description)
        roles << Qt::ToolTipRole;
    const bool rolesOnly = roles.size() > 1 && changedColumns.isEmpty();
    cur = next;
    if (changedColumns.isEmpty() && !rolesOnly)
        return;
    if (rolesOnly) {
        roles.removeAll(Qt::DisplayRole);
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1), roles);
        return;
    }
    const int first = *std::min_element(changedColumns.cbegin(), changedColumns.cend());
    const int last = *std::max_element(changedColumns.cbegin(), changedColumns.cend());
    if (roles.size() > 1) // custom roles live on every column
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1), roles);
    else
        emit dataChanged(index(row, first), index(row, last), roles);
}

void AlertListModel::refreshRelativeTimes()
{
    if (m_rows.isEmpty())
        return;
    emit dataChanged(index(0, SinceColumn), index(int(m_rows.size()) - 1, SinceColumn),
                     {Qt::DisplayRole});
}

} // namespace querydeck
