#include "models/AlertFilterModel.h"

#include "models/AlertListModel.h"

namespace querydeck {

AlertFilterModel::AlertFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    sort(0);
}

void AlertFilterModel::setText(const QString& text)
{
    if (m_text == text)
        return;
    m_text = text;
    refilter();
}

void AlertFilterModel::setSeverity(std::optional<AlertSeverity> severity)
{
    m_severity = severity;
    refilter();
}

void AlertFilterModel::setState(std::optional<AlertState> state)
{
    m_state = state;
    refilter();
}

void AlertFilterModel::refilter()
{
    // Qt 6.4 has no beginFilterChange(); invalidateFilter() re-runs filterAcceptsRow.
    invalidateFilter();
}

bool AlertFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QAbstractItemModel* source = sourceModel();
    const QModelIndex first = source->index(sourceRow, 0, sourceParent);
    if (m_severity && first.data(AlertListModel::SeverityRole).toInt() != int(*m_severity))
        return false;
    if (m_state) {
        const auto state = AlertState(first.data(AlertListModel::StateRole).toInt());
        const bool firing = *m_state == AlertState::Firing &&
                            (state == AlertState::Firing || state == AlertState::Recovering);
        if (state != *m_state && !firing)
            return false;
    }
    const QString needle = m_text.trimmed();
    if (needle.isEmpty())
        return true;
    for (int column : {AlertListModel::RuleColumn, AlertListModel::LabelsColumn,
                       AlertListModel::SummaryColumn, AlertListModel::SeverityColumn}) {
        if (source->index(sourceRow, column, sourceParent)
                .data()
                .toString()
                .contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool AlertFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const QModelIndex l = left.siblingAtColumn(0);
    const QModelIndex r = right.siblingAtColumn(0);
    const int lr = l.data(AlertListModel::StateRankRole).toInt();
    const int rr = r.data(AlertListModel::StateRankRole).toInt();
    if (lr != rr)
        return lr < rr;
    const int ls = l.data(AlertListModel::SeverityRole).toInt();
    const int rs = r.data(AlertListModel::SeverityRole).toInt();
    if (ls != rs)
        return ls < rs; // Critical (0) first
    const qint64 lt = l.data(AlertListModel::SinceRole).toLongLong();
    const qint64 rt = r.data(AlertListModel::SinceRole).toLongLong();
    if (lt != rt)
        return lt < rt; // the oldest first
    return l.data(AlertListModel::KeyRole).toString() < r.data(AlertListModel::KeyRole).toString();
}

} // namespace querydeck
