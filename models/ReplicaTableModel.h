#pragma once

#include "backend/common/ProcessUsageSampler.h"
#include "backend/fleet/ReplicaSet.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>

namespace querydeck {

// The replicas of a ReplicaSet for the replicas dock: one row per replica (in
// id order as the set lists them), columns id, state, address, in flight,
// restarts, CPU, RSS, uptime. Follows the set's replicasChanged(); rows are
// matched by id so a refresh updates cells in place (dataChanged for exactly
// the changed cells) instead of resetting the view. refreshUptime() moves the
// uptime column on and sampleProcesses() reads CPU and RSS of the replicas
// that are local processes from /proc (the dock calls both once a second);
// replicas without a pid (Kubernetes pods, stopped ones) show "–" there.
// GUI-thread object (a /proc read per replica is a few microseconds).
class ReplicaTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        IdColumn,
        StateColumn,
        AddressColumn,
        InFlightColumn,
        RestartsColumn,
        CpuColumn,
        RssColumn,
        UptimeColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    // Same value in every column of a row.
    enum Role
    {
        IdRole = Qt::UserRole + 1, // QString
        StateRole,                 // int, ReplicaState
        InFlightRole,              // int, -1 unknown
        UptimeSecondsRole,         // qint64, -1 not running
        CpuPercentRole,            // double, 100 = one core; -1 unknown
        ResidentBytesRole          // double, -1 unknown
    };
    Q_ENUM(Role)

    explicit ReplicaTableModel(QObject* parent = nullptr);

    // Follows `set` (nullptr: none); the model does not own it.
    void setReplicaSet(ReplicaSet* set);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static QString formatUptime(qint64 seconds); // "45 s", "12 min", "3 h 05 min", "2 d 04 h"

public slots:
    void setReplicas(const QList<querydeck::ReplicaInfo>& replicas);
    void refreshUptime();
    void sampleProcesses();

private:
    QVariant display(const ReplicaInfo& replica, int column) const;
    ProcessUsageSampler::Usage usageOf(const ReplicaInfo& replica) const;

    QPointer<ReplicaSet> m_set;
    QList<ReplicaInfo> m_rows;
    ProcessUsageSampler m_sampler;
    QHash<qint64, ProcessUsageSampler::Usage> m_usage; // by pid
};

} // namespace querydeck
