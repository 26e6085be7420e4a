#pragma once

#include "backend/autoscale/AutoscaleTypes.h"

#include <QAbstractTableModel>
#include <deque>

namespace querydeck {

// The auto-scaler's decision history for a table view: newest first, bounded
// (the oldest row is removed before a new one is inserted). Fed by the
// controller's decided() signal. GUI thread only.
class ScaleDecisionModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TimeColumn,
        ChangeColumn,
        ReasonColumn,
        CpuColumn,
        LatencyColumn,
        QueueColumn,
        ColumnCount
    };
    enum Role
    {
        DesiredRole = Qt::UserRole + 1,
        CurrentRole,
        ChangesRole
    };

    explicit ScaleDecisionModel(int limit = 500, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    const ScaleDecision& decisionAt(int row) const { return m_rows.at(std::size_t(row)); }

public slots:
    void addDecision(const querydeck::ScaleDecision& decision);
    void clear();

private:
    int m_limit;
    std::deque<ScaleDecision> m_rows; // newest first
};

} // namespace querydeck
