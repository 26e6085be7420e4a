#include "backend/fleet/ReplicaCounts.h"

#include <QtTest>

using namespace querydeck;

// What the scaling decisions count: ready, starting and failed replicas of a
// set, and the working ones of its desired number.
class TestReplicaCounts : public QObject
{
    Q_OBJECT

    static ReplicaInfo replica(ReplicaState state)
    {
        ReplicaInfo info;
        info.state = state;
        return info;
    }

private slots:
    void counts()
    {
        const ReplicaCounts c =
            ReplicaCounts::of({replica(ReplicaState::Ready), replica(ReplicaState::Failed),
                               replica(ReplicaState::Starting), replica(ReplicaState::Draining),
                               replica(ReplicaState::Stopped)},
                              3);
        QCOMPARE(c.desired, 3);
        QCOMPARE(c.ready, 1);
        QCOMPARE(c.starting, 1);
        QCOMPARE(c.failed, 1);
        QCOMPARE(c.working(), 2);
        QCOMPARE(c.describe(), QString("3 replicas: 1 ready, 1 starting, 1 failed"));
    }

    // A Deployment lists a failed pod beside the replacement it already
    // made: the working count never exceeds the desired one.
    void replacedPodDoesNotCountTwice()
    {
        const ReplicaCounts c =
            ReplicaCounts::of({replica(ReplicaState::Ready), replica(ReplicaState::Ready),
                               replica(ReplicaState::Failed)},
                              2);
        QCOMPARE(c.working(), 2);
        QCOMPARE(c.failed, 1);
    }

    void allReady()
    {
        const ReplicaCounts c =
            ReplicaCounts::of({replica(ReplicaState::Ready), replica(ReplicaState::Ready)}, 2);
        QCOMPARE(c.working(), 2);
        QCOMPARE(c.describe(), QString("2 replicas"));
        QCOMPARE(ReplicaCounts::of({replica(ReplicaState::Ready)}, 1).describe(),
                 QString("1 replica"));
    }
};

QTEST_GUILESS_MAIN(TestReplicaCounts)
#include "tst_replicacounts.moc"
