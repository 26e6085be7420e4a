#include "backend/telemetry/TelemetryThread.h"

#include "backend/telemetry/TelemetryEngine.h"

#include <QThread>

namespace querydeck {

TelemetryThread::TelemetryThread(StoreOptions options)
    : m_thread(std::make_unique<QThread>())
    , m_engine(new TelemetryEngine(options))
{
    m_thread->setObjectName(QStringLiteral("telemetry"));
    m_engine->moveToThread(m_thread.get());
    // Deferred deletes still run once the loop has quit, on the thread itself.
    QObject::connect(m_thread.get(), &QThread::finished, m_engine, &QObject::deleteLater);
}

TelemetryThread::~TelemetryThread()
{
    if (!m_thread->isRunning()) {
        delete m_engine; // never started: nothing runs on the thread
        return;
    }
    QMetaObject::invokeMethod(m_engine, &TelemetryEngine::stop, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void TelemetryThread::start()
{
    if (m_thread->isRunning())
        return;
    m_thread->start();
    QMetaObject::invokeMethod(m_engine, &TelemetryEngine::start, Qt::QueuedConnection);
}

} // namespace querydeck
