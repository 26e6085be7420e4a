#pragma once

#include "backend/scaling/PreflightCheck.h"

namespace querydeck {

// The ports of the replicas to be added are free on 127.0.0.1.
class PortsFreeCheck final : public PreflightCheck
{
public:
    QString name() const override { return QStringLiteral("ports free"); }
    void run(const ScaleRequest& request, QObject* context, Done done) override;
};

} // namespace querydeck
