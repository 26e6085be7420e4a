#include "models/SourceStatusModel.h"

#include <QDateTime>
#include <QSet>
#include <algorithm>

namespace querydeck {

SourceStatusModel::SourceStatusModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int SourceStatusModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SourceStatusModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SourceStatusModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SourceStatus& s = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn:
            return s.id;
        case HealthColumn:
            return healthName(s.health);
        case LastErrorColumn:
            return s.lastError;
        case LastSuccessColumn:
            return s.lastSuccessMs > 0 ? QDateTime::fromMSecsSinceEpoch(s.lastSuccessMs)
                                             .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                       : tr("never");
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == IdColumn)
            return s.description;
        if (index.column() == LastErrorColumn && s.malformedLines > 0)
            return tr("%n malformed line(s) in the last poll", nullptr, s.malformedLines);
        return {};
    case IdRole:
        return s.id;
    case HealthRole:
        return int(s.health);
    case LastErrorRole:
        return s.lastError;
    case LastSuccessRole:
        return s.lastSuccessMs;
    case DescriptionRole:
        return s.description;
    case MalformedLinesRole:
        return s.malformedLines;
    default:
        return {};
    }
}

QVariant SourceStatusModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Source");
    case HealthColumn:
        return tr("Health");
    case LastErrorColumn:
        return tr("Last error");
    case LastSuccessColumn:
        return tr("Last success");
    default:
        return {};
    }
}

QHash<int, QByteArray> SourceStatusModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, "sourceId");
    names.insert(HealthRole, "health");
    names.insert(LastErrorRole, "lastError");
    names.insert(LastSuccessRole, "lastSuccess");
    names.insert(DescriptionRole, "description");
    names.insert(MalformedLinesRole, "malformedLines");
    return names;
}

QString SourceStatusModel::healthName(SourceHealth health)
{
    switch (health) {
    case SourceHealth::Ok:
        return QStringLiteral("ok");
    case SourceHealth::Stale:
        return QStringLiteral("stale");
    case SourceHealth::Error:
        return QStringLiteral("error");
    }
    return {};
}

void SourceStatusModel::setStatuses(const QList<SourceStatus>& statuses)
{
    QSet<QString> incoming;
    for (const SourceStatus& s : statuses)
        incoming.insert(s.id);

    // Remove vanished sources, contiguous runs at a time, from the bottom up.
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (incoming.contains(m_rows[row].id)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !incoming.contains(m_rows[first - 1].id))
            --first;
        beginRemoveRows({}, first, row);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    QList<SourceStatus> added;
    for (const SourceStatus& s : statuses) {
        int row = 0;
        while (row < m_rows.size() && m_rows[row].id != s.id)
            ++row;
        if (row < m_rows.size()) {
            update(row, s);
        } else if (std::none_of(added.cbegin(), added.cend(),
                                [&](const SourceStatus& a) { return a.id == s.id; })) {
            added.append(s);
        }
    }
    if (!added.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.append(added);
        endInsertRows();
    }
}

void SourceStatusModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void SourceStatusModel::update(int row, const SourceStatus& status)
{
    SourceStatus& old = m_rows[row];
    if (old.health != status.health) {
        old.health = status.health;
        changed(row, HealthColumn, HealthRole);
    }
    if (old.lastError != status.lastError) {
        old.lastError = status.lastError;
        changed(row, LastErrorColumn, LastErrorRole);
    }
    if (old.lastSuccessMs != status.lastSuccessMs) {
        old.lastSuccessMs = status.lastSuccessMs;
        changed(row, LastSuccessColumn, LastSuccessRole);
    }
    if (old.description != status.description) {
        old.description = status.description;
        emit dataChanged(index(row, IdColumn), index(row, IdColumn), {Qt::ToolTipRole});
        changed(row, -1, DescriptionRole);
    }
    if (old.malformedLines != status.malformedLines) {
        old.malformedLines = status.malformedLines;
        emit dataChanged(index(row, LastErrorColumn), index(row, LastErrorColumn),
                         {Qt::ToolTipRole});
        changed(row, -1, MalformedLinesRole);
    }
}

// The field's own cell changed its text; its role changed in every column.
void SourceStatusModel::changed(int row, int column, int role)
{
    if (column >= 0)
        emit dataChanged(index(row, column), index(row, column), {Qt::DisplayRole});
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1), {role});
}

} // namespace querydeck
