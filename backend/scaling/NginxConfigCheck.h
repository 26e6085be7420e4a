#pragma once

#include "backend/fleet/LocalFleetOptions.h"
#include "backend/scaling/PreflightCheck.h"

namespace querydeck {

// `nginx -t` of the front-door config the local set would write for the
// target count: the template rendered with every target replica's address
// into a scratch prefix, checked by the configured nginx binary. Fails with
// nginx's own words when the template, the binary or the values are wrong.
// Asynchronous (QProcess parented to the context); `done` on the caller's thread.
class NginxConfigCheck final : public PreflightCheck
{
public:
    explicit NginxConfigCheck(LocalFleetOptions options);
    QString name() const override { return QStringLiteral("nginx -t"); }
    void run(const ScaleRequest& request, QObject* context, Done done) override;

private:
    LocalFleetOptions m_options;
};

} // namespace querydeck
