#pragma once

#include <QObject>

class QThread;

namespace querydeck {

class ReplicaSet;
class ReplicaSetMirror;
class ScaleClient;
class ScaleController;

// Runs a ReplicaSet and its ScaleController on a worker thread (the console's
// control thread: QProcess children, nginx, network replies) and gives the
// thread that made it a ReplicaSetMirror and a ScaleClient to use instead.
//
// Thread rules: construct it on the GUI thread with the set and the
// controller made there, parentless, with their checks added; it takes both
// and moves them to `thread` (their work runs in its event loop). From then
// on the set and the controller are touched only on that thread (connect to
// them with a context object living there). The mirror and the client are its
// children on the GUI thread. The destructor detaches them and deletes the
// controller and the set on their thread, waiting for that (their destructors
// kill what still runs, with bounded waits); if the thread has already quit,
// it deletes them here.
class ThreadedFleet : public QObject
{
    Q_OBJECT

public:
    ThreadedFleet(ReplicaSet* set, ScaleController* controller, QThread* thread,
                  QObject* parent = nullptr);
    ~ThreadedFleet() override;

    // On the worker thread: only for connections made with a context there.
    ReplicaSet* remoteSet() const { return m_set; }
    ScaleController* remoteController() const { return m_controller; }
    // On this thread: what widgets use.
    ReplicaSetMirror* mirror() const { return m_mirror; }
    ScaleClient* client() const { return m_client; }

private:
    ReplicaSet* m_set;
    ScaleController* m_controller;
    QThread* m_thread;
    QObject* m_anchor; // on the worker thread: the context of the teardown call
    ReplicaSetMirror* m_mirror;
    ScaleClient* m_client;
};

} // namespace querydeck
