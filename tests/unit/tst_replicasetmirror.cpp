// ReplicaSetMirror and ScaleOperatorMirror against a set on another thread: commands
// run on the set's thread, snapshots arrive before the scaleFinished() that
// follows them (also when a failed scale puts the count back without a replica
// change), a detached mirror or client answers at once with an error, and the
// feed goes with the set.
#include "backend/fleet/ReplicaSetMirror.h"
#include "backend/scaling/PortsFreeCheck.h"
#include "backend/scaling/ScaleOperator.h"
#include "backend/scaling/ScaleOperatorMirror.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>
#include <atomic>

using namespace querydeck;

namespace {

// A replica set without processes: enough to see where and in which order
// things happen. Touched only on its own thread.
class ThreadSet : public ReplicaSet
{
public:
    QString kind() const override { return QStringLiteral("test"); }
    QList<ReplicaInfo> replicas() const override { return m_list; }
    int desiredCount() const override { return m_desired; }

    void scale(int count) override
    {
        calledOn = QThread::currentThread();
        if (count > 5) {
            // Refused after the count was taken and shown, as a failed nginx
            // reload does: the count goes back without a replicasChanged().
            const int previous = m_desired;
            m_desired = count;
            emit replicasChanged();
            m_desired = previous;
            emit scaleFinished(false, QStringLiteral("at most 5"));
            return;
        }
        m_desired = count;
        m_list.clear();
        for (int i = 1; i <= count; ++i) {
            ReplicaInfo r;
            r.id = QString::number(i);
            r.state = ReplicaState::Ready;
            m_list << r;
        }
        emit replicasChanged();
        emit scaleFinished(true, {});
    }
    void restart(const QString& id) override
    {
        calledOn = QThread::currentThread();
        emit event(QStringLiteral("restart ") + id);
    }
    void drain(const QString& id) override
    {
        calledOn = QThread::currentThread();
        m_desired = std::max(0, m_desired - 1);
        m_list.removeIf([&id](const ReplicaInfo& r) { return r.id == id; });
        emit replicasChanged();
    }

    std::atomic<QThread*> calledOn{nullptr};

private:
    QList<ReplicaInfo> m_list;
    int m_desired = 0;
};

} // namespace

class TestReplicaSetMirror : public QObject
{
    Q_OBJECT

private:
    QThread m_thread;

    // Deletes `object` on its thread and waits for that.
    static void deleteThere(QObject* object)
    {
        QObject* context = object;
        QMetaObject::invokeMethod(
            context, [object] { object->deleteLater(); }, Qt::BlockingQueuedConnection);
    }

private slots:
    void initTestCase() { m_thread.start(); }
    void cleanupTestCase()
    {
        m_thread.quit();
        QVERIFY(m_thread.wait(5000));
    }

    void commandsRunOnTheSetsThreadAndSnapshotsComeFirst()
    {
        auto* set = new ThreadSet;
        set->moveToThread(&m_thread);
        ReplicaSetMirror mirror(set);
        QCOMPARE(mirror.kind(), QStringLiteral("test"));
        QTRY_COMPARE(mirror.desiredCount(), 0);

        int desiredAtFinish = -1;
        int rowsAtFinish = -1;
        connect(&mirror, &ReplicaSet::scaleFinished, this, [&] {
            desiredAtFinish = mirror.desiredCount();
            rowsAtFinish = int(mirror.replicas().size());
        });
        QSignalSpy finished(&mirror, &ReplicaSet::scaleFinished);
        mirror.scale(3);
        QVERIFY(finished.wait(5000));
        QCOMPARE(set->calledOn.load(), &m_thread);
        QVERIFY(finished.first().at(0).toBool());
        QCOMPARE(desiredAtFinish, 3);
        QCOMPARE(rowsAtFinish, 3);

        // A refused scale: no replica changed, the count is back to 3 when
        // the failure arrives.
        finished.clear();
        mirror.scale(9);
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("at most 5"));
        QCOMPARE(desiredAtFinish, 3);

        QSignalSpy events(&mirror, &ReplicaSet::event);
        mirror.restart(QStringLiteral("2"));
        QVERIFY(events.wait(5000));
        QCOMPARE(events.first().at(0).toString(), QStringLiteral("restart 2"));

        QSignalSpy changed(&mirror, &ReplicaSet::replicasChanged);
        mirror.drain(QStringLiteral("3"));
        QVERIFY(changed.wait(5000));
        QCOMPARE(mirror.desiredCount(), 2);
        QCOMPARE(mirror.replicas().size(), 2);

        // The set goes (its feed with it, on its thread): the mirror keeps
        // its last snapshot and, detached, refuses at once.
        mirror.detach();
        deleteThere(set);
        finished.clear();
        mirror.scale(1);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY(finished.first().at(1).toString().contains("shutting down"));
        QCOMPARE(mirror.desiredCount(), 2);
    }

    void clientForwardsToAControllerOnAnotherThread()
    {
        auto* set = new ThreadSet;
        auto* controller = new ScaleOperator(set, nullptr);
        controller->addCheck(std::make_unique<PortsFreeCheck>());
        set->moveToThread(&m_thread);
        controller->moveToThread(&m_thread);
        ReplicaSetMirror mirror(set);
        ScaleOperatorMirror client(controller, &mirror);
        QCOMPARE(client.checkNames(), QStringList{QStringLiteral("ports free")});
        QCOMPARE(client.replicaSet(), &mirror);

        QSignalSpy applied(&client, &ScaleOperatorMirror::applyFinished);
        QSignalSpy updated(&client, &ScaleOperatorMirror::replicasUpdated);
        ScaleRequest request;
        request.currentReplicas = 0;
        request.targetReplicas = 2;
        client.apply(request);
        QVERIFY(applied.wait(5000));
        QVERIFY(applied.first().at(0).toBool());
        QCOMPARE(set->calledOn.load(), &m_thread);
        QVERIFY(updated.size() >= 1);
        QTRY_COMPARE(client.currentState().replicas, 2);

        client.detach();
        applied.clear();
        client.apply(request);
        QCOMPARE(applied.size(), 1); // at once, not forwarded
        QCOMPARE(applied.first().at(0).toBool(), false);
        mirror.detach();
        QMetaObject::invokeMethod(
            set,
            [controller, set] {
                delete controller;
                set->deleteLater();
            },
            Qt::BlockingQueuedConnection);
    }
};

QTEST_GUILESS_MAIN(TestReplicaSetMirror)
#include "tst_replicasetmirror.moc"
