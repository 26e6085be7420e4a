#pragma once

#include "backend/scaling/PreflightCheck.h"

namespace querydeck {

// Enough available memory and CPU cores on this host for the added replicas.
// Reads /proc/meminfo (MemAvailable) and the core count; a root for tests.
class HostResourcesCheck final : public PreflightCheck
{
public:
    explicit HostResourcesCheck(QString procRoot = QStringLiteral("/proc"));
    QString name() const override { return QStringLiteral("host memory and CPU"); }
    void run(const ScaleRequest& request, QObject* context, Done done) override;

private:
    QString m_procRoot;
};

} // namespace querydeck
