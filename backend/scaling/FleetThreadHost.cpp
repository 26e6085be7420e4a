#include "backend/scaling/FleetThreadHost.h"

#include "backend/fleet/ReplicaSetMirror.h"
#include "backend/scaling/ScaleOperator.h"
#include "backend/scaling/ScaleOperatorMirror.h"

#include <QThread>

namespace querydeck {

FleetThreadHost::FleetThreadHost(ReplicaSet* set, ScaleOperator* scaleOperator, QThread* thread,
                                 QObject* parent)
    : QObject(parent)
    , m_set(set)
    , m_operator(scaleOperator)
    , m_thread(thread)
    , m_anchor(new QObject)
{
    Q_ASSERT(!set->parent() && !scaleOperator->parent());
    m_set->moveToThread(thread);
    m_operator->moveToThread(thread);
    m_anchor->moveToThread(thread);
    m_mirror = new ReplicaSetMirror(m_set, this);
    m_scaleMirror = new ScaleOperatorMirror(m_operator, m_mirror, this);
}

FleetThreadHost::~FleetThreadHost()
{
    // This side lets go first: nothing is forwarded to objects being deleted.
    m_mirror->detach();
    m_scaleMirror->detach();
    ScaleOperator* scaleOperator = m_operator;
    ReplicaSet* set = m_set;
    QObject* anchor = m_anchor;
    if (m_thread->isRunning() && m_thread != QThread::currentThread()) {
        QMetaObject::invokeMethod(
            anchor,
            [scaleOperator, set, anchor] {
                delete scaleOperator;
                delete set;
                anchor->deleteLater(); // not inside its own call
            },
            Qt::BlockingQueuedConnection);
    } else { // nothing runs their events any more
        delete scaleOperator;
        delete set;
        delete anchor;
    }
}

} // namespace querydeck
