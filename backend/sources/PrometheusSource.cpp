#include "backend/sources/PrometheusSource.h"

#include "backend/common/BoundedJson.h"
#include "backend/metrics/ExpressionNode.h"
#include "backend/metrics/PromQlWriter.h"
#include "backend/secrets/SecretStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <cmath>

namespace querydeck {

namespace {

const char* const kTooLarge = "querydeckTooLarge";

double sampleValue(const QJsonValue& value, bool* ok)
{
    const QString text = value.toString();
    *ok = true;
    if (text == QLatin1String("NaN"))
        return std::nan("");
    if (text == QLatin1String("+Inf") || text == QLatin1String("Inf"))
        return HUGE_VAL;
    if (text == QLatin1String("-Inf"))
        return -HUGE_VAL;
    return text.toDouble(ok);
}

// [<unix seconds>, "<value>"] -> (ms, value)
bool readPair(const QJsonValue& pair, qint64* ms, double* value)
{
    const QJsonArray array = pair.toArray();
    if (array.size() != 2 || !array[0].isDouble() || !array[1].isString())
        return false;
    bool ok = false;
    *value = sampleValue(array[1], &ok);
    *ms = qint64(std::llround(array[0].toDouble() * 1000.0));
    return ok;
}

SeriesKey keyOf(const QJsonObject& metric)
{
    QString name;
    QList<QPair<QString, QString>> labels;
    for (auto it = metric.begin(); it != metric.end(); ++it) {
        if (it.key() == QLatin1String("__name__"))
            name = it->toString();
        else
            labels.append({it.key(), it->toString()});
    }
    return SeriesKey::make(name, labels);
}

// Every metric name the expression's selectors read.
void metricNames(const Expression::Node* node, QSet<QString>* names)
{
    if (!node)
        return;
    if (node->kind == Expression::Node::Kind::Selector)
        names->insert(node->metric);
    metricNames(node->lhs.get(), names);
    metricNames(node->rhs.get(), names);
}

} // namespace

PrometheusSource::PrometheusSource(PrometheusConfig config, std::shared_ptr<SecretStore> secrets,
                                   QObject* parent)
    : MetricSource(parent)
    , m_config(std::move(config))
    , m_secrets(std::move(secrets))
{
}

PrometheusSource::~PrometheusSource()
{
    for (const QPointer<QNetworkReply>& reply : m_pending + m_pendingRanges) {
        if (reply) {
            disconnect(reply, nullptr, this, nullptr);
            reply->abort();
        }
    }
}

QString PrometheusSource::id() const
{
    const QUrl url(m_config.url);
    return QStringLiteral("prometheus:%1:%2")
        .arg(url.host())
        .arg(url.port(url.scheme() == QLatin1String("https") ? 443 : 80));
}

QString PrometheusSource::description() const
{
    return QStringLiteral("Prometheus %1").arg(QUrl(m_config.url).toDisplayString());
}

qint64 PrometheusSource::stepFor(qint64 rangeMs, int widthPixels)
{
    rangeMs = std::max<qint64>(rangeMs, 0);
    const qint64 width = std::max(widthPixels, 1);
    qint64 step = (rangeMs + width - 1) / width;
    // range / step + 1 points must stay within Prometheus's limit.
    const qint64 minStep = (rangeMs + kMaxPointsPerSeries - 2) / (kMaxPointsPerSeries - 1);
    return std::max<qint64>({step, minStep, 1});
}

QNetworkReply* PrometheusSource::get(const QString& path,
                                     const QList<QPair<QString, QString>>& query, QString* error)
{
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    QUrl url(m_config.url);
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QStringLiteral("application/x-www-form-urlencoded"));
    request.setTransferTimeout(m_config.timeoutMs);
    if (m_config.auth.isSet()) {
        const SecretResult secret = m_secrets ? m_secrets->read(m_config.auth)
                                              : SecretResult{{}, QStringLiteral("no secret store")};
        if (!secret.ok()) {
            *error = QStringLiteral("auth: %1").arg(secret.error);
            return nullptr;
        }
        // A value with a scheme ("Basic ...") is the whole header; else a bearer token.
        const QString value =
            secret.value.contains(u' ') ? secret.value : QStringLiteral("Bearer ") + secret.value;
        request.setRawHeader("Authorization", value.toUtf8());
    }
    // Form-encoded by hand: QUrlQuery leaves '+' alone, which a form decoder reads as a space.
    QByteArray form;
    for (const auto& [key, value] : query) {
        if (!form.isEmpty())
            form += '&';
        form += key.toUtf8() + '=' + QUrl::toPercentEncoding(value);
    }
    QNetworkReply* reply = m_network->post(request, form);
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64 total) {
        if (received > kMaxBodyBytes || total > kMaxBodyBytes) {
            reply->setProperty(kTooLarge, true);
            reply->abort();
        }
    });
    return reply;
}

QString PrometheusSource::replyProblem(QNetworkReply* reply, QByteArray* body) const
{
    if (reply->property(kTooLarge).toBool())
        return QStringLiteral("response larger than %1 bytes").arg(kMaxBodyBytes);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->isOpen())
        *body = reply->readAll();
    if (status >= 300) {
        // Prometheus explains 400/422/503 in a JSON body.
        const Parsed parsed = parse(*body);
        return QStringLiteral("HTTP %1%2")
            .arg(status)
            .arg(parsed.error.startsWith(QLatin1String("Prometheus error"))
                     ? QStringLiteral(": ") + parsed.error
                     : QString());
    }
    switch (reply->error()) {
    case QNetworkReply::NoError:
        return {};
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::OperationCanceledError: // what setTransferTimeout produces
    case QNetworkReply::TimeoutError:
        return QStringLiteral("timeout after %1 ms").arg(m_config.timeoutMs);
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found");
    default:
        return reply->errorString();
    }
}

PrometheusSource::Parsed PrometheusSource::parse(const QByteArray& body)
{
    Parsed out;
    if (body.size() > kMaxBodyBytes) {
        out.error = QStringLiteral("response larger than %1 bytes").arg(kMaxBodyBytes);
        return out;
    }
    const BoundedJson::Result parsed =
        BoundedJson::parse(body, BoundedJson::replyLimits(kMaxBodyBytes), QString());
    if (parsed.error == BoundedJson::Error::Invalid) {
        out.error = QStringLiteral("malformed JSON at byte %1: %2")
                        .arg(parsed.offset)
                        .arg(parsed.parserError);
        return out;
    }
    if (!parsed.ok()) {
        out.error = QStringLiteral("malformed response: ") + parsed.detail;
        return out;
    }
    const QJsonDocument& doc = parsed.document;
    if (!doc.isObject()) {
        out.error = QStringLiteral("malformed JSON: expected an object");
        return out;
    }
    const QJsonObject root = doc.object();
    const QString status = root.value(QLatin1String("status")).toString();
    if (status == QLatin1String("error")) {
        out.error = QStringLiteral("Prometheus error (%1): %2")
                        .arg(root.value(QLatin1String("errorType")).toString(),
                             root.value(QLatin1String("error")).toString());
        return out;
    }
    if (status != QLatin1String("success")) {
        out.error = QStringLiteral("malformed response: \"status\" is neither success nor error");
        return out;
    }
    const QJsonObject data = root.value(QLatin1String("data")).toObject();
    const QString type = data.value(QLatin1String("resultType")).toString();
    const QJsonValue result = data.value(QLatin1String("result"));
    qint64 ms = 0;
    double value = 0;
    if (type == QLatin1String("scalar")) {
        if (!readPair(result, &ms, &value)) {
            out.error = QStringLiteral("malformed scalar result");
            return out;
        }
        out.samples.push_back({SeriesKey{}, value, ms});
        return out;
    }
    if ((type != QLatin1String("vector") && type != QLatin1String("matrix")) || !result.isArray()) {
        out.error = QStringLiteral("unsupported or malformed result type \"%1\"").arg(type);
        return out;
    }
    int malformed = 0;
    for (const QJsonValue& item : result.toArray()) {
        const QJsonObject series = item.toObject();
        const SeriesKey key = keyOf(series.value(QLatin1String("metric")).toObject());
        if (type == QLatin1String("vector")) {
            if (!readPair(series.value(QLatin1String("value")), &ms, &value)) {
                ++malformed;
                continue;
            }
            out.samples.push_back({key, value, ms});
            continue;
        }
        EvaluatedSeries evaluated;
        evaluated.legend = key.toString();
        for (const QJsonValue& pair : series.value(QLatin1String("values")).toArray()) {
            if (!readPair(pair, &ms, &value)) {
                ++malformed;
                continue;
            }
            evaluated.points.push_back({ms, value});
        }
        out.series.push_back(std::move(evaluated));
        out.seriesKeys.push_back(key);
    }
    if (malformed > 0)
        out.error = QStringLiteral("%1 malformed value%2 skipped")
                        .arg(malformed)
                        .arg(malformed == 1 ? "" : "s");
    return out;
}

void PrometheusSource::poll()
{
    if (!m_pending.isEmpty()) {
        SourceResult busy;
        busy.sourceId = id();
        busy.error = QStringLiteral("prometheus %1: previous poll still running").arg(m_config.url);
        emit finished(busy);
        return;
    }
    m_result = SourceResult{};
    m_result.sourceId = id();
    m_problems.clear();
    for (int i = 0; i < int(m_config.queries.size()); ++i) {
        QString error;
        QNetworkReply* reply =
            get(QStringLiteral("/api/v1/query"), {{"query", m_config.queries[i].expr}}, &error);
        if (!reply) {
            m_problems << error;
            break;
        }
        m_pending.append(reply);
        connect(reply, &QNetworkReply::finished, this, [this, reply, i] { onPollReply(reply, i); });
    }
    if (m_pending.isEmpty())
        finishPoll();
}

void PrometheusSource::onPollReply(QNetworkReply* reply, int index)
{
    reply->deleteLater();
    m_pending.removeAll(reply);
    const PrometheusConfig::Query& query = m_config.queries[index];
    QByteArray body;
    QString problem = replyProblem(reply, &body);
    if (problem.isEmpty()) {
        Parsed parsed = parse(body);
        problem = parsed.error;
        int unnamed = 0;
        for (Sample& sample : parsed.samples) {
            if (!query.name.isEmpty())
                sample.key.name = query.name;
            else if (!sample.key.name.isEmpty())
                m_servedNames.insert(sample.key.name);
            if (sample.key.name.isEmpty()) {
                ++unnamed;
                continue;
            }
            m_result.samples.push_back(std::move(sample));
        }
        if (unnamed > 0)
            problem = QStringLiteral("%1 series without a metric name; give the query a \"name\"")
                          .arg(unnamed);
    }
    if (!problem.isEmpty())
        m_problems << QStringLiteral("query %1 (%2): %3").arg(index).arg(query.expr, problem);
    if (m_pending.isEmpty())
        finishPoll();
}

void PrometheusSource::finishPoll()
{
    if (m_result.timestampMs == 0)
        m_result.timestampMs = QDateTime::currentMSecsSinceEpoch();
    if (!m_problems.isEmpty())
        m_result.error = QStringLiteral("prometheus %1: %2")
                             .arg(m_config.url, m_problems.join(QStringLiteral("; ")));
    emit finished(m_result);
}

QString PrometheusSource::rangeQuery(const Expression& expression) const
{
    const Expression::Node* root = expression.root();
    if (!expression.isValid() || !root)
        return {};
    // A renamed query's series exist only here: Prometheus knows its expr.
    if (root->kind == Expression::Node::Kind::Selector && root->matchers.empty()) {
        for (const PrometheusConfig::Query& query : m_config.queries) {
            if (!query.name.isEmpty() && query.name == root->metric)
                return query.expr;
        }
    }
    QSet<QString> names;
    metricNames(root, &names);
    if (names.isEmpty())
        return {};
    for (const QString& name : std::as_const(names)) {
        if (!m_servedNames.contains(name))
            return {};
    }
    return PromQlWriter::write(expression).text;
}

int PrometheusSource::queryRange(const QString& expr, qint64 fromMs, qint64 toMs, int widthPixels)
{
    const int requestId = m_nextRequestId++;
    const qint64 step = stepFor(toMs - fromMs, widthPixels);
    QString rename;
    for (const PrometheusConfig::Query& query : m_config.queries) {
        if (!query.name.isEmpty() && query.expr == expr)
            rename = query.name;
    }
    const auto problemText = [this, expr](const QString& problem) {
        return QStringLiteral("prometheus %1: query_range \"%2\": %3")
            .arg(m_config.url, expr, problem);
    };
    QString error;
    QNetworkReply* reply = get(QStringLiteral("/api/v1/query_range"),
                               {{"query", expr},
                                {"start", QString::number(double(fromMs) / 1000.0, 'f', 3)},
                                {"end", QString::number(double(toMs) / 1000.0, 'f', 3)},
                                {"step", QString::number(double(step) / 1000.0, 'f', 3)}},
                               &error);
    if (!reply) {
        RangeResult result;
        result.error = problemText(error);
        QMetaObject::invokeMethod(
            this, [this, requestId, result] { emit rangeFinished(requestId, result); },
            Qt::QueuedConnection);
        return requestId;
    }
    m_pendingRanges.append(reply);
    connect(reply, &QNetworkReply::finished, this, [this, reply, requestId, rename, problemText] {
        reply->deleteLater();
        m_pendingRanges.removeAll(reply);
        QByteArray body;
        QString problem = replyProblem(reply, &body);
        RangeResult result;
        if (problem.isEmpty()) {
            Parsed parsed = parse(body);
            problem = parsed.error;
            result.series = std::move(parsed.series);
            result.keys = std::move(parsed.seriesKeys);
            for (std::size_t i = 0; i < result.keys.size() && !rename.isEmpty(); ++i) {
                result.keys[i].name = rename;
                result.series[i].legend = result.keys[i].toString();
            }
        }
        if (!problem.isEmpty())
            result.error = problemText(problem);
        emit rangeFinished(requestId, result);
    });
    return requestId;
}

} // namespace querydeck
