#include "backend/scaling/ScaleClient.h"

#include "backend/scaling/FleetProbe.h"
#include "backend/scaling/ScaleController.h"

namespace querydeck {

ScaleClient::ScaleClient(ScaleController* controller, ReplicaSet* view, QObject* parent)
    : QObject(parent)
    , m_controller(controller)
    , m_view(view)
    , m_probe(controller->probe())
    , m_checkNames(controller->checkNames())
{
    connect(controller, &ScaleController::checkFinished, this, &ScaleClient::checkFinished);
    connect(controller, &ScaleController::preflightFinished, this, &ScaleClient::preflightFinished);
    connect(controller, &ScaleController::progress, this, &ScaleClient::progress);
    connect(controller, &ScaleController::replicasUpdated, this, &ScaleClient::replicasUpdated);
    connect(controller, &ScaleController::applyFinished, this, &ScaleClient::applyFinished);
    connect(controller, &ScaleController::verifyFinished, this, &ScaleClient::verifyFinished);
    connect(controller, &ScaleController::rollbackFinished, this, &ScaleClient::rollbackFinished);
}

FleetState ScaleClient::currentState() const
{
    FleetState state = m_probe ? m_probe->read() : FleetState{};
    state.replicas = m_view ? m_view->desiredCount() : 0;
    return state;
}

template <typename Call> void ScaleClient::forward(Call call)
{
    if (ScaleController* controller = m_controller)
        QMetaObject::invokeMethod(controller, [controller, call] { call(controller); });
}

void ScaleClient::runPreflight(const ScaleRequest& request)
{
    forward([request](ScaleController* c) { c->runPreflight(request); });
}

void ScaleClient::apply(const ScaleRequest& request)
{
    if (!m_controller)
        return emit applyFinished(false, QStringLiteral("the fleet is shutting down"));
    forward([request](ScaleController* c) { c->apply(request); });
}

void ScaleClient::verify(const ScaleRequest& request)
{
    forward([request](ScaleController* c) { c->verify(request); });
}

void ScaleClient::rollback(const ScaleRequest& request)
{
    if (!m_controller)
        return emit rollbackFinished(false, QStringLiteral("the fleet is shutting down"));
    forward([request](ScaleController* c) { c->rollback(request); });
}

void ScaleClient::cancel()
{
    forward([](ScaleController* c) { c->cancel(); });
}

} // namespace querydeck
