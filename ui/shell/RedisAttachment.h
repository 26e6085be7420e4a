#pragma once

class QWidget;

namespace querydeck {

class ConsoleHost;
class MainWindow;

// Puts the console's Redis into the main window: the Redis dock (tabbed with
// Logs, with a View menu entry) fed by the host's RedisTopologyMonitor, and
// the failover wizard (Operations menu and the dock's button), pre-filled with
// the configured sentinels and master name, given the passwords the host reads
// and the QueryDeck replicas to verify on the new master. Without a
// configured Redis only the wizard is wired.
// GUI thread only; the host must outlive the window.
class RedisAttachment
{
public:
    // Adds the dock and starts the topology refreshes.
    static void attach(ConsoleHost* host, MainWindow* main);
    static void openFailoverWizard(ConsoleHost* host, QWidget* parent);
};

} // namespace querydeck
