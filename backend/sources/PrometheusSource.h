#pragma once

#include "backend/sources/MetricSource.h"
#include "backend/sources/PrometheusConfig.h"

#include <QPointer>
#include <QSet>
#include <QUrl>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace querydeck {

class SecretStore;

// Reads series from a Prometheus server over its HTTP API: poll() runs each
// configured query with /api/v1/query and emits the samples (one result for
// the poll); queryRange() runs /api/v1/query_range with the step sized to a
// panel's width (ceil(range / width), and never over Prometheus's 11,000
// points per series) and emits rangeFinished(). rangeQuery() says which
// dashboard expressions it can answer that way: those reading only metric
// names its polls returned (written as PromQL), or exactly the name a
// renamed query gives (that query's own PromQL). Errors name the server,
// the query and the problem: HTTP status, Prometheus "status: error" with its errorType and
// error, timeout, malformed JSON, a body over the cap. The auth header comes
// from the SecretStore on each request and is never logged or put in errors.
// Lives on the telemetry thread like every MetricSource; the network manager
// is created on first use, on the calling thread.
class PrometheusSource : public MetricSource
{
    Q_OBJECT

public:
    static constexpr qint64 kMaxPointsPerSeries = 11000;
    static constexpr qint64 kMaxBodyBytes = 32 * 1024 * 1024;

    struct Parsed
    {
        std::vector<Sample> samples;         // vector results: one per series
        std::vector<EvaluatedSeries> series; // matrix results
        std::vector<SeriesKey> seriesKeys;   // matrix results: the key of each series
        QString error;
    };

    PrometheusSource(PrometheusConfig config, std::shared_ptr<SecretStore> secrets,
                     QObject* parent = nullptr);
    ~PrometheusSource() override;

    QString id() const override;
    QString description() const override;
    void poll() override;

    QString rangeQuery(const Expression& expression) const override;
    // Emits rangeFinished(requestId, ...) once, never synchronously; returns requestId.
    // A query equal to a renamed configured query's expr gets that name, as in poll().
    int queryRange(const QString& expr, qint64 fromMs, qint64 toMs, int widthPixels) override;

    // ceil(range / width) in ms, at least 1 ms, and big enough that
    // range / step + 1 <= 11,000.
    static qint64 stepFor(qint64 rangeMs, int widthPixels);
    // The JSON body of /api/v1/query or /api/v1/query_range.
    static Parsed parse(const QByteArray& body);

private:
    QNetworkReply* get(const QString& path, const QList<QPair<QString, QString>>& query,
                       QString* error);
    void onPollReply(QNetworkReply* reply, int index);
    QString replyProblem(QNetworkReply* reply, QByteArray* body) const;
    void finishPoll();

    PrometheusConfig m_config;
    std::shared_ptr<SecretStore> m_secrets;
    QNetworkAccessManager* m_network = nullptr;
    QList<QPointer<QNetworkReply>> m_pending;       // poll() requests
    QList<QPointer<QNetworkReply>> m_pendingRanges; // queryRange() requests
    SourceResult m_result;
    QStringList m_problems;
    int m_nextRequestId = 1;
    QSet<QString> m_servedNames; // metric names the polls returned under their own name
};

} // namespace querydeck
