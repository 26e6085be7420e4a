#pragma once

#include "backend/redisops/RedisTopology.h"

#include <QTreeWidget>

namespace querydeck {

// Shows a discovered topology as a tree: the master, its replicas (role,
// link state, offset lag in bytes and seconds, priority) and, under
// Sentinel, the sentinels with the quorum and CKQUORUM's verdict; under
// Cluster, every node with its slots. Read-only; GUI thread.
class RedisTopologyView : public QTreeWidget
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn,
        StateColumn,
        LagColumn,
        DetailColumn
    };

    explicit RedisTopologyView(QWidget* parent = nullptr);

    void setTopology(const RedisTopology& topology);
    void setMessage(const QString& text); // "Discovering…", an error
};

} // namespace querydeck
