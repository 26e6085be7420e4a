#pragma once

#include "backend/common/Clock.h"
#include "backend/sources/MetricSource.h"

#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace querydeck {

// Scrapes one HTTP target serving the Prometheus text exposition (a
// `querydeck serve` replica's /metrics, node_exporter, ...). Each poll is
// one GET with a transfer timeout and a body cap; samples get label
// instance="host:port", and the engine's up{job, instance} series for it has
// job "scrape" unless setJob() gave another (console.scrape_targets[].job,
// so rules can tell replicas from other targets). A poll while the previous one is still running
// does not start a second request: it finishes at once with the error "previous scrape still
// running". Errors name the target and the problem (connection refused, timeout after N ms, HTTP
// 500, N malformed lines); samples that parsed are kept even when some lines were malformed. The
// QNetworkAccessManager is created on first poll, on the thread that polls
// (the telemetry thread); use the object from that thread only.
class ScrapeSource : public MetricSource
{
    Q_OBJECT

public:
    static constexpr int kDefaultTimeoutMs = 2000;
    static constexpr qint64 kDefaultMaxBodyBytes = 16 * 1024 * 1024;

    explicit ScrapeSource(QUrl target, QObject* parent = nullptr);
    ~ScrapeSource() override;

    QString id() const override { return QStringLiteral("scrape:") + m_instance; }
    QString description() const override;
    void poll() override;
    QString upInstance() const override { return m_instance; }
    // up{job=...}: "scrape" unless set (console.scrape_targets[].job). Fleet
    // replicas are scraped as job "service", the embedded service's job, so
    // the ServiceDown and ReplicaDown rules watch them too.
    QString job() const override { return m_job.isEmpty() ? MetricSource::job() : m_job; }
    void setJob(const QString& job) { m_job = job; }

    QUrl target() const { return m_target; }
    QString instance() const { return m_instance; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }
    void setMaxBodyBytes(qint64 bytes) { m_maxBodyBytes = bytes; }
    void setClock(Clock clock) { m_clock = std::move(clock); }

private:
    void onFinished(QNetworkReply* reply);
    void finish(SourceResult result, const QString& problem);

    QUrl m_target;
    QString m_instance;
    QString m_job;
    int m_timeoutMs = kDefaultTimeoutMs;
    qint64 m_maxBodyBytes = kDefaultMaxBodyBytes;
    Clock m_clock;
    QNetworkAccessManager* m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    qint64 m_startedMs = 0;
    bool m_tooLarge = false;
};

} // namespace querydeck
