#pragma once

#include "backend/redisops/FailoverRequest.h"

#include <QWizard>

namespace querydeck {

class FailoverController;

// The Redis failover wizard: discover → pre-checks → choose → trigger →
// progress → verify → report, built like Qt's licensewizard: a Page enum of
// ids, one Failover<Role>Page per file on a FailoverPageBase, nextId() per
// page. The pages fill the wizard's FailoverRequest; the
// FailoverController, owned here, does all the talking to Redis. Cancel
// works until the trigger page is committed; after that it is refused
// (the failover is running on the servers) and the wizard stays open until
// the report. GUI thread.
class FailoverWizard : public QWizard
{
    Q_OBJECT

public:
    // Page ids for setPage() and nextId(), in the order the pages are shown.
    enum class Page
    {
        Discover,
        PreChecks,
        Choose,
        Trigger,
        Progress,
        Verify,
        Report
    };

    explicit FailoverWizard(QWidget* parent = nullptr);
    ~FailoverWizard() override;

    FailoverController* controller() const { return m_controller; }
    FailoverRequest& request() { return m_request; }
    // Pre-fills the discover page, e.g. from the config file.
    void setDefaults(const QString& addresses, const QString& masterName, bool cluster);

public slots:
    void reject() override;

private:
    FailoverController* m_controller = nullptr;
    FailoverRequest m_request;
};

} // namespace querydeck
