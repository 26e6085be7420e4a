#pragma once

#include <QObject>
#include <QString>
#include <memory>

namespace spdlog::sinks {
class sink;
}

namespace querydeck {

class LogBridgeSink;

// Forwards every spdlog record to Qt as the signal record(). The sink runs on
// whichever thread logged and only converts the record and emits, so a
// logging thread never waits for a view. record() is therefore emitted from
// any thread: consumers connect with Qt::QueuedConnection (a bounded model
// such as LogModel on the GUI thread), never straight into a widget.
//
// install() creates the process-wide bridge once and adds its sink to every
// logger (LoggingSetup::addSink); the bridge lives until the process exits,
// because threads may still log during shutdown. Messages pass through
// LoggingSetup::redact() like the formatted output does.
class LogBridge : public QObject
{
    Q_OBJECT

public:
    static LogBridge* install();  // idempotent; call from the GUI thread
    static LogBridge* instance(); // nullptr before install()

    explicit LogBridge(QObject* parent = nullptr);
    ~LogBridge() override; // detaches and removes its sink

    // The sink feeding this bridge, for loggers set up by hand (tests).
    std::shared_ptr<spdlog::sinks::sink> sink() const;

signals:
    // ms since the epoch; level is spdlog::level::level_enum (0 trace .. 5 critical).
    void record(qint64 ms, int level, const QString& logger, const QString& message);

private:
    std::shared_ptr<LogBridgeSink> m_sink;
};

} // namespace querydeck
