#pragma once

#include "backend/scaling/ReplicaTraffic.h"
#include "backend/scaling/ScaleRequest.h"

#include <QWizard>

namespace querydeck {

class ScaleOperatorMirror;

// Guided scale of the replica set, built like Qt's licensewizard: a Page
// enum of ids, one Scale<Role>Page per file on a ScalePageBase, nextId() per
// page. The pages fill a ScaleRequest and the ScaleOperator executes it,
// reached through a ScaleOperatorMirror (queued calls, results as queued signals).
//   current state -> target -> pre-flight -> apply -> verify -> report
// A failing pre-flight check keeps Apply disabled; a failed apply skips to
// the report; the report offers a rollback to the previous count when the
// scale or its verification failed. GUI thread only.
class ScaleWizard : public QWizard
{
    Q_OBJECT

public:
    // Page ids for setPage() and nextId(), in the order the pages are shown.
    enum class Page
    {
        State,
        Target,
        Preflight,
        Apply,
        Verify,
        Report
    };

    ScaleWizard(ScaleOperatorMirror* scaleOperator, ScaleRequest defaults,
                QWidget* parent = nullptr);

    ScaleOperatorMirror* scaleOperator() const { return m_scaleOperator; }
    ScaleRequest& request() { return m_request; }

    // Outcome of the steps, for the report page.
    bool applyOk = false;
    QString applyError;
    qint64 applyMs = -1; // apply until the set reported the scale done
    bool verifyOk = false;
    bool verified = false; // the verify step ran to its end
    QStringList verifyLines;
    QList<ReplicaTraffic> traffic; // per ready replica in the verify window

private:
    ScaleOperatorMirror* m_scaleOperator;
    ScaleRequest m_request;
};

} // namespace querydeck
