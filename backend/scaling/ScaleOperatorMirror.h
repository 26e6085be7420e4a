#pragma once

#include "backend/scaling/ScaleOperator.h" // its signal types and their metatype declarations

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <memory>

namespace querydeck {

// Stands in on the GUI thread for a ScaleOperator: the scale wizard's and the
// quick scale dialog's handle on an operator that may run on another thread (the console's control
// thread, beside its ReplicaSet). Same signals as the operator, re-emitted here; the slots forward
// the request with a queued call (a direct one when the operator shares this thread). The check
// names are read once, at construction, and currentState() combines the operator's FleetProbe (a
// thread-safe store read) with `view`, the set as this thread sees it (a ReplicaSetMirror in the
// console).
//
// Thread rules: lives on, and is called from, the thread that created it
// (the GUI thread); it never waits. Create it after the operator's checks
// are added. The owner keeps the operator alive while the mirror may
// forward to it: detach() (or delete the mirror) before the operator goes.
class ScaleOperatorMirror : public QObject
{
    Q_OBJECT

public:
    ScaleOperatorMirror(ScaleOperator* scaleOperator, ReplicaSet* view, QObject* parent = nullptr);

    QStringList checkNames() const { return m_checkNames; }
    ReplicaSet* replicaSet() const { return m_view; }
    FleetState currentState() const;
    // Stops forwarding: the operator is about to be deleted.
    void detach() { m_operator = nullptr; }

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
    void applyFinished(bool ok, const QString& error, qint64 elapsedMs);
    void verifyFinished(bool ok, const QStringList& lines,
                        const QList<querydeck::ReplicaTraffic>& traffic);
    void rollbackFinished(bool ok, const QString& error);

private:
    template <typename Call> void forward(Call call);

    ScaleOperator* m_operator;
    QPointer<ReplicaSet> m_view;
    std::shared_ptr<FleetProbe> m_probe;
    QStringList m_checkNames;
};

} // namespace querydeck
