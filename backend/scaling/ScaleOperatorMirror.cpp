#include "backend/scaling/ScaleOperatorMirror.h"

#include "backend/scaling/FleetProbe.h"
#include "backend/scaling/ScaleOperator.h"

namespace querydeck {

ScaleOperatorMirror::ScaleOperatorMirror(ScaleOperator* scaleOperator, ReplicaSet* view,
                                         QObject* parent)
    : QObject(parent)
    , m_operator(scaleOperator)
    , m_view(view)
    , m_probe(scaleOperator->probe())
    , m_checkNames(scaleOperator->checkNames())
{
    connect(scaleOperator, &ScaleOperator::checkFinished, this,
            &ScaleOperatorMirror::checkFinished);
    connect(scaleOperator, &ScaleOperator::preflightFinished, this,
            &ScaleOperatorMirror::preflightFinished);
    connect(scaleOperator, &ScaleOperator::progress, this, &ScaleOperatorMirror::progress);
    connect(scaleOperator, &ScaleOperator::replicasUpdated, this,
            &ScaleOperatorMirror::replicasUpdated);
    connect(scaleOperator, &ScaleOperator::applyFinished, this,
            &ScaleOperatorMirror::applyFinished);
    connect(scaleOperator, &ScaleOperator::verifyFinished, this,
            &ScaleOperatorMirror::verifyFinished);
    connect(scaleOperator, &ScaleOperator::rollbackFinished, this,
            &ScaleOperatorMirror::rollbackFinished);
}

FleetState ScaleOperatorMirror::currentState() const
{
    return ScaleOperator::stateOf(m_probe.get(), m_view.data());
}

template <typename Call> void ScaleOperatorMirror::forward(Call call)
{
    if (ScaleOperator* scaleOperator = m_operator)
        QMetaObject::invokeMethod(scaleOperator, [scaleOperator, call] { call(scaleOperator); });
}

void ScaleOperatorMirror::runPreflight(const ScaleRequest& request)
{
    forward([request](ScaleOperator* c) { c->runPreflight(request); });
}

void ScaleOperatorMirror::apply(const ScaleRequest& request)
{
    if (!m_operator)
        return emit applyFinished(false, QStringLiteral("the fleet is shutting down"), 0);
    forward([request](ScaleOperator* c) { c->apply(request); });
}

void ScaleOperatorMirror::verify(const ScaleRequest& request)
{
    forward([request](ScaleOperator* c) { c->verify(request); });
}

void ScaleOperatorMirror::rollback(const ScaleRequest& request)
{
    if (!m_operator)
        return emit rollbackFinished(false, QStringLiteral("the fleet is shutting down"));
    forward([request](ScaleOperator* c) { c->rollback(request); });
}

void ScaleOperatorMirror::cancel()
{
    forward([](ScaleOperator* c) { c->cancel(); });
}

} // namespace querydeck
