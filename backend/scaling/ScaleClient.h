#pragma once

#include "backend/scaling/ScaleController.h" // its signal types and their metatype declarations

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <memory>

namespace querydeck {

// The scale wizard's and the quick scale dialog's handle on a ScaleController
// that may run on another thread (the console's control thread, beside its
// ReplicaSet). Same signals as the controller, re-emitted here; the slots
// forward the request with a queued call (a direct one when the controller
// shares this thread). The check names are read once, at construction, and
// currentState() combines the controller's FleetProbe (a thread-safe store
// read) with `view`, the set as this thread sees it (a ReplicaSetMirror in
// the console).
//
// Thread rules: lives on, and is called from, the thread that created it
// (the GUI thread); it never waits. Create it after the controller's checks
// are added. The owner keeps the controller alive while the client may
// forward to it: detach() (or delete the client) before the controller goes.
class ScaleClient : public QObject
{
    Q_OBJECT

public:
    ScaleClient(ScaleController* controller, ReplicaSet* view, QObject* parent = nullptr);

    QStringList checkNames() const { return m_checkNames; }
    ReplicaSet* replicaSet() const { return m_view; }
    FleetState currentState() const;
    // Stops forwarding: the controller is about to be deleted.
    void detach() { m_controller = nullptr; }

public slots:
    void runPreflight(const querydeck::ScaleRequest& request);
    void apply(const querydeck::ScaleRequest& request);
    void verify(const querydeck::ScaleRequest& request);
    void rollback(const querydeck::ScaleRequest& request);
    void cancel();

signals:
    void checkFinished(int index, const QString& name, const querydeck::CheckResult& result);
    void preflightFinished(bool canProceed);
    void progress(const QString& message);
    void replicasUpdated(const QList<querydeck::ReplicaInfo>& replicas);
    void applyFinished(bool ok, const QString& error);
    void verifyFinished(bool ok, const QStringList& lines);
    void rollbackFinished(bool ok, const QString& error);

private:
    template <typename Call> void forward(Call call);

    ScaleController* m_controller;
    QPointer<ReplicaSet> m_view;
    std::shared_ptr<FleetProbe> m_probe;
    QStringList m_checkNames;
};

} // namespace querydeck
