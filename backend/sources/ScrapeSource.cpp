#include "backend/sources/ScrapeSource.h"

#include "backend/metrics/ExpositionParser.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace querydeck {

namespace {

QString instanceOf(const QUrl& url)
{
    const int defaultPort = url.scheme() == QLatin1String("https") ? 443 : 80;
    return QStringLiteral("%1:%2").arg(url.host()).arg(url.port(defaultPort));
}

} // namespace

ScrapeSource::ScrapeSource(QUrl target, QObject* parent)
    : MetricSource(parent)
    , m_target(std::move(target))
    , m_instance(instanceOf(m_target))
    , m_clock(systemClock())
{
}

ScrapeSource::~ScrapeSource()
{
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
    }
}

QString ScrapeSource::description() const
{
    return QStringLiteral("Scrape %1").arg(m_target.toDisplayString());
}

void ScrapeSource::poll()
{
    if (m_reply) {
        SourceResult busy;
        finish(std::move(busy), QStringLiteral("previous scrape still running (started %1 ms ago)")
                                    .arg(m_clock() - m_startedMs));
        return;
    }
    if (!m_target.isValid() || !m_target.scheme().startsWith(QLatin1String("http"))) {
        finish({}, QStringLiteral("not an http(s) URL"));
        return;
    }
    if (!m_network)
        m_network = new QNetworkAccessManager(this);

    QNetworkRequest request(m_target);
    // Plain text 0.0.4 only: no OpenMetrics or protobuf negotiation.
    request.setRawHeader("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1");
    request.setTransferTimeout(m_timeoutMs);
    m_startedMs = m_clock();
    m_tooLarge = false;
    QNetworkReply* reply = m_network->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::downloadProgress, this,
            [this, reply](qint64 received, qint64 total) {
                if (received > m_maxBodyBytes || total > m_maxBodyBytes) {
                    m_tooLarge = true;
                    reply->abort();
                }
            });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFinished(reply); });
}

void ScrapeSource::onFinished(QNetworkReply* reply)
{
    reply->deleteLater();
    m_reply = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply->error();
    if (m_tooLarge) {
        finish({}, QStringLiteral("body larger than %1 bytes").arg(m_maxBodyBytes));
        return;
    }
    if (status >= 300) {
        const QString reason =
            reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        finish({}, QStringLiteral("HTTP %1%2")
                       .arg(status)
                       .arg(reason.isEmpty() ? QString() : QLatin1Char(' ') + reason));
        return;
    }
    if (error != QNetworkReply::NoError) {
        QString problem;
        switch (error) {
        case QNetworkReply::ConnectionRefusedError:
            problem = QStringLiteral("connection refused");
            break;
        case QNetworkReply::OperationCanceledError: // what setTransferTimeout produces
        case QNetworkReply::TimeoutError:
            problem = QStringLiteral("timeout after %1 ms").arg(m_timeoutMs);
            break;
        case QNetworkReply::HostNotFoundError:
            problem = QStringLiteral("host not found");
            break;
        default:
            problem = reply->errorString();
            break;
        }
        finish({}, problem);
        return;
    }
    const QByteArray body = reply->readAll();
    if (body.size() > m_maxBodyBytes) {
        finish({}, QStringLiteral("body larger than %1 bytes").arg(m_maxBodyBytes));
        return;
    }
    SourceResult result = ExpositionParser::parse(body, m_clock(), m_instance);
    QString problem = result.error;
    if (problem.isEmpty() && result.malformedLines > 0)
        problem = QStringLiteral("%1 malformed line%2 (%3 samples kept)")
                      .arg(result.malformedLines)
                      .arg(result.malformedLines == 1 ? "" : "s")
                      .arg(result.samples.size());
    finish(std::move(result), problem);
}

void ScrapeSource::finish(SourceResult result, const QString& problem)
{
    result.sourceId = id();
    if (result.timestampMs == 0)
        result.timestampMs = m_clock();
    if (!problem.isEmpty())
        result.error = QStringLiteral("scrape %1: %2").arg(m_target.toDisplayString(), problem);
    emit finished(result);
}

} // namespace querydeck
