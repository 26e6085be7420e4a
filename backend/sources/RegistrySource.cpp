#include "backend/sources/RegistrySource.h"

#include <cmath>
#include <prometheus/registry.h>

namespace querydeck {

namespace {

// As prometheus-cpp's TextSerializer writes them, so that a scrape of the
// same registry produces the same series keys.
QString formatBound(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    return QString::number(value, 'g', 16);
}

MetricType typeOf(prometheus::MetricType type)
{
    switch (type) {
    case prometheus::MetricType::Counter:
        return MetricType::Counter;
    case prometheus::MetricType::Gauge:
        return MetricType::Gauge;
    case prometheus::MetricType::Histogram:
        return MetricType::Histogram;
    case prometheus::MetricType::Summary:
        return MetricType::Summary;
    default:
        return MetricType::Untyped;
    }
}

} // namespace

RegistrySource::RegistrySource(std::shared_ptr<prometheus::Registry> registry, QString instance,
                               std::function<void()> beforeCollect, QObject* parent)
    : MetricSource(parent)
    , m_registry(std::move(registry))
    , m_instance(std::move(instance))
    , m_beforeCollect(std::move(beforeCollect))
    , m_clock(systemClock())
{
}

RegistrySource::~RegistrySource() = default;

QString RegistrySource::description() const
{
    return QStringLiteral("Embedded service (%1)").arg(m_instance);
}

void RegistrySource::poll()
{
    SourceResult result;
    result.sourceId = id();
    result.timestampMs = m_clock();
    if (!m_registry) {
        result.error = QStringLiteral("service registry: no registry");
        emit finished(result);
        return;
    }
    if (m_beforeCollect)
        m_beforeCollect();

    for (const prometheus::MetricFamily& family : m_registry->Collect()) {
        const QString name = QString::fromStdString(family.name);
        const MetricType type = typeOf(family.type);
        result.types.insert(name, type);
        for (const prometheus::ClientMetric& metric : family.metric) {
            QList<QPair<QString, QString>> labels;
            for (const auto& label : metric.label) {
                if (label.name != "instance")
                    labels.append(
                        {QString::fromStdString(label.name), QString::fromStdString(label.value)});
            }
            labels.append({QStringLiteral("instance"), m_instance});
            const qint64 t = metric.timestamp_ms != 0 ? metric.timestamp_ms : result.timestampMs;
            auto add = [&](const QString& sampleName, double value,
                           const QList<QPair<QString, QString>>& extra = {}) {
                result.samples.push_back(
                    Sample{SeriesKey::make(sampleName, labels + extra), value, t});
            };
            switch (family.type) {
            case prometheus::MetricType::Counter:
                add(name, metric.counter.value);
                break;
            case prometheus::MetricType::Gauge:
                add(name, metric.gauge.value);
                break;
            case prometheus::MetricType::Histogram:
                // prometheus-cpp already reports cumulative counts, +Inf last.
                for (const auto& bucket : metric.histogram.bucket)
                    add(name + QLatin1String("_bucket"), double(bucket.cumulative_count),
                        {{QStringLiteral("le"), formatBound(bucket.upper_bound)}});
                add(name + QLatin1String("_sum"), metric.histogram.sample_sum);
                add(name + QLatin1String("_count"), double(metric.histogram.sample_count));
                break;
            case prometheus::MetricType::Summary:
                for (const auto& quantile : metric.summary.quantile)
                    add(name, quantile.value,
                        {{QStringLiteral("quantile"), formatBound(quantile.quantile)}});
                add(name + QLatin1String("_sum"), metric.summary.sample_sum);
                add(name + QLatin1String("_count"), double(metric.summary.sample_count));
                break;
            default:
                add(name, metric.untyped.value);
                break;
            }
        }
    }
    emit finished(result);
}

} // namespace querydeck
