#pragma once

#include "app/ConsoleOptions.h"
#include "backend/config/ConsoleConfig.h"
#include "backend/service/ServiceConfig.h"

#include <QString>
#include <memory>

namespace querydeck {

class ConsoleHost;
class ConsoleShell;

// The console command's objects: the ConsoleHost (service, telemetry, alerts,
// Redis, fleet) and the ConsoleShell (the window over it), built from the
// parsed options. GUI thread only; the window goes before the host.
class ConsoleApp
{
public:
    ConsoleApp(ServiceConfig service, ConsoleConfig console, ConsoleOptions options);
    ~ConsoleApp();

    // Starts the host, then builds the window and schedules the screenshot.
    // Returns an error, empty on success.
    QString start(bool portGiven);

private:
    ConsoleOptions m_options;
    std::unique_ptr<ConsoleHost> m_host;
    std::unique_ptr<ConsoleShell> m_shell; // declared after: destroyed first
};

} // namespace querydeck
