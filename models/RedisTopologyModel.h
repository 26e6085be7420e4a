#pragma once

#include "backend/redisops/RedisTopology.h"

#include <QAbstractTableModel>
#include <QList>

namespace querydeck {

// A Redis topology as one table for the Redis dock: the master first, then
// its replicas, then the sentinels. Columns: server kind, address, state,
// used memory and clients (data servers), replication lag in bytes and
// seconds (replicas), details (offset, priority, flags; a sentinel's own
// SENTINEL CKQUORUM answer; errors). HealthyRole says how to colour a row
// (the view's business: no QtGui here). Rows are matched by kind and address,
// so a refresh of the same servers updates cells (dataChanged) instead of
// resetting the view. GUI-thread object.
class RedisTopologyModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        ServerColumn,
        AddressColumn,
        StateColumn,
        MemoryColumn,
        ClientsColumn,
        LagBytesColumn,
        LagSecondsColumn,
        DetailsColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum class Kind
    {
        Master,
        Replica,
        Sentinel
    };
    Q_ENUM(Kind)

    // Same value in every column of a row.
    enum Role
    {
        KindRole = Qt::UserRole + 1, // int, Kind
        HealthyRole,                 // bool: reachable; replica link up; sentinel quorum ok
        LagBytesRole,                // qint64, -1 unknown
        LagSecondsRole               // qint64, -1 unknown
    };
    Q_ENUM(Role)

    explicit RedisTopologyModel(QObject* parent = nullptr);

    void setTopology(const RedisTopology& topology);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The row of a server, -1 when not shown.
    int rowOf(Kind kind, const QString& address) const;

private:
    struct Row
    {
        Kind kind = Kind::Master;
        QString address;
        QString state;
        bool healthy = false;
        qint64 memoryBytes = -1;
        qint64 clients = -1;
        qint64 lagBytes = -1;
        qint64 lagSeconds = -1;
        QString details;
        friend bool operator==(const Row&, const Row&) = default;
    };
    static Row nodeRow(Kind kind, const RedisNodeState& node);
    static Row sentinelRow(const SentinelState& sentinel);
    QVariant display(const Row& row, int column) const;

    QList<Row> m_rows;
};

} // namespace querydeck
