#include "app/ConsoleApp.h"

#include "backend/consolehost/ConsoleHost.h"
#include "ui/shell/ConsoleShell.h"

namespace querydeck {

ConsoleApp::ConsoleApp(ServiceConfig service, ConsoleConfig console, ConsoleOptions options)
    : m_options(std::move(options))
    , m_host(std::make_unique<ConsoleHost>(std::move(service), std::move(console)))
{
}

ConsoleApp::~ConsoleApp() = default;

QString ConsoleApp::start(bool portGiven)
{
    if (QString error = m_host->start(portGiven); !error.isEmpty())
        return error;
    m_shell = std::make_unique<ConsoleShell>(m_host.get());
    ConsoleShell::Options window;
    window.wall = m_options.wall;
    window.screen = m_options.screen;
    window.size = m_options.size;
    window.fullScreen = m_options.screenshotPath.isEmpty();
    m_shell->build(window);
    m_shell->scheduleScreenshot(m_options.screenshotPath, m_options.afterSeconds);
    return {};
}

} // namespace querydeck
