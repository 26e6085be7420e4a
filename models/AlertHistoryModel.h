#pragma once

#include "backend/alerting/AlertInstance.h"

#include <QAbstractTableModel>
#include <deque>

namespace querydeck {

// The alert history the AlertEngine records (transitions and wizard edits),
// newest first, as a bounded ring: at capacity the oldest row is removed
// (beginRemoveRows) before the new one is inserted at the top. Feeds the
// dock's history table and timeline. GUI thread only.
class AlertHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TimeColumn,
        RuleColumn,
        LabelsColumn,
        TransitionColumn,
        ValueColumn,
        NoteColumn,
        ColumnCount
    };

    enum Role
    {
        TimeRole = Qt::UserRole + 1, // ms since epoch
        RuleNameRole,
        SeverityRole, // int(AlertSeverity)
        FromStateRole,
        ToStateRole
    };

    explicit AlertHistoryModel(int capacity = 5000, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int capacity() const { return m_capacity; }
    const AlertHistoryEntry& entry(int row) const { return m_entries.at(size_t(row)); }
    // Entries of one rule in time order (oldest first), for the timeline.
    QList<AlertHistoryEntry> entriesOf(const QString& ruleName) const;

public slots:
    void append(const querydeck::AlertHistoryEntry& entry);
    // Replaces everything (e.g. the history loaded at start), newest first.
    void setEntries(const QList<querydeck::AlertHistoryEntry>& entries);

private:
    std::deque<AlertHistoryEntry> m_entries; // front = newest
    int m_capacity;
};

} // namespace querydeck
