#include "models/AlertHistoryModel.h"

#include "models/AlertListModel.h"

#include <QDateTime>
#include <algorithm>

namespace querydeck {

AlertHistoryModel::AlertHistoryModel(int capacity, QObject* parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max(1, capacity))
{
}

int AlertHistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AlertHistoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AlertHistoryEntry& e = m_entries.at(size_t(index.row()));
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(e.transition.t)
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case RuleColumn:
            return e.ruleName;
        case LabelsColumn:
            return labelsText(e.labels);
        case TransitionColumn:
            return e.transition.from == e.transition.to
                       ? alertStateName(e.transition.to)
                       : QStringLiteral("%1 → %2").arg(alertStateName(e.transition.from),
                                                       alertStateName(e.transition.to));
        case ValueColumn:
            return alertValueText(e.transition.value);
        case NoteColumn:
            return e.note.isEmpty() ? e.transition.error : e.note;
        }
        return {};
    case TimeRole:
        return e.transition.t;
    case RuleNameRole:
        return e.ruleName;
    case SeverityRole:
        return int(e.severity);
    case FromStateRole:
        return int(e.transition.from);
    case ToStateRole:
        return int(e.transition.to);
    }
    return {};
}

QVariant AlertHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const names[] = {"Time", "Rule", "Labels", "Transition", "Value", "Note"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

QHash<int, QByteArray> AlertHistoryModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(TimeRole, "time");
    names.insert(RuleNameRole, "ruleName");
    names.insert(SeverityRole, "severity");
    names.insert(FromStateRole, "fromState");
    names.insert(ToStateRole, "toState");
    return names;
}

QList<AlertHistoryEntry> AlertHistoryModel::entriesOf(const QString& ruleName) const
{
    QList<AlertHistoryEntry> out;
    for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it) {
        if (it->ruleName == ruleName)
            out << *it;
    }
    return out;
}

void AlertHistoryModel::append(const AlertHistoryEntry& entry)
{
    if (int(m_entries.size()) >= m_capacity) {
        const int last = int(m_entries.size()) - 1;
        beginRemoveRows({}, last, last);
        m_entries.pop_back();
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_entries.push_front(entry);
    endInsertRows();
}

void AlertHistoryModel::setEntries(const QList<AlertHistoryEntry>& entries)
{
    beginResetModel();
    m_entries.clear();
    for (const AlertHistoryEntry& e : entries) {
        if (int(m_entries.size()) >= m_capacity)
            break;
        m_entries.push_back(e);
    }
    endResetModel();
}

} // namespace querydeck
