#pragma once

#include <QObject>

class QThread;

namespace querydeck {

class ReplicaSet;
class ReplicaSetMirror;
class ScaleOperatorMirror;
class ScaleOperator;

// Hosts a ReplicaSet and its ScaleOperator on a worker thread (the console's
// control thread: QProcess children, nginx, network replies) and gives the
// thread that made it a ReplicaSetMirror and a ScaleOperatorMirror to use instead.
//
// Thread rules: construct it on the GUI thread with the set and the
// operator made there, parentless, with their checks added; it takes both
// and moves them to `thread` (their work runs in its event loop). From then
// on the set and the operator are touched only on that thread (connect to
// them with a context object living there). The two mirrors are its
// children on the GUI thread. The destructor detaches them and deletes the
// operator and the set on their thread, waiting for that (their destructors
// kill what still runs, with bounded waits); if the thread has already quit,
// it deletes them here.
class FleetThreadHost : public QObject
{
    Q_OBJECT

public:
    FleetThreadHost(ReplicaSet* set, ScaleOperator* scaleOperator, QThread* thread,
                    QObject* parent = nullptr);
    ~FleetThreadHost() override;

    // On the worker thread: only for connections made with a context there.
    ReplicaSet* remoteSet() const { return m_set; }
    ScaleOperator* remoteOperator() const { return m_operator; }
    // On this thread: what widgets use.
    ReplicaSetMirror* mirror() const { return m_mirror; }
    ScaleOperatorMirror* scaleMirror() const { return m_scaleMirror; }

private:
    ReplicaSet* m_set;
    ScaleOperator* m_operator;
    QThread* m_thread;
    QObject* m_anchor; // on the worker thread: the context of the teardown call
    ReplicaSetMirror* m_mirror;
    ScaleOperatorMirror* m_scaleMirror;
};

} // namespace querydeck
