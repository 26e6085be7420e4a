#include "backend/scaling/ThreadedFleet.h"

#include "backend/fleet/ReplicaSetMirror.h"
#include "backend/scaling/ScaleClient.h"
#include "backend/scaling/ScaleController.h"

#include <QThread>

namespace querydeck {

ThreadedFleet::ThreadedFleet(ReplicaSet* set, ScaleController* controller, QThread* thread,
                             QObject* parent)
    : QObject(parent)
    , m_set(set)
    , m_controller(controller)
    , m_thread(thread)
    , m_anchor(new QObject)
{
    Q_ASSERT(!set->parent() && !controller->parent());
    m_set->moveToThread(thread);
    m_controller->moveToThread(thread);
    m_anchor->moveToThread(thread);
    m_mirror = new ReplicaSetMirror(m_set, this);
    m_client = new ScaleClient(m_controller, m_mirror, this);
}

ThreadedFleet::~ThreadedFleet()
{
    // This side lets go first: nothing is forwarded to objects being deleted.
    m_mirror->detach();
    m_client->detach();
    ScaleController* controller = m_controller;
    ReplicaSet* set = m_set;
    QObject* anchor = m_anchor;
    if (m_thread->isRunning() && m_thread != QThread::currentThread()) {
        QMetaObject::invokeMethod(
            anchor,
            [controller, set, anchor] {
                delete controller;
                delete set;
                anchor->deleteLater(); // not inside its own call
            },
            Qt::BlockingQueuedConnection);
    } else { // nothing runs their events any more
        delete controller;
        delete set;
        delete anchor;
    }
}

} // namespace querydeck
