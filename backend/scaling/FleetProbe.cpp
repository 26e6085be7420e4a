#include "backend/scaling/FleetProbe.h"

#include "backend/metrics/Expression.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <cmath>

namespace querydeck {

std::optional<double> instantValue(const Expression& expression, const TimeSeriesStore& store,
                                   qint64 t)
{
    if (!expression.isValid())
        return std::nullopt;
    const auto values = expression.instant(store, t);
    if (values.empty() || !std::isfinite(values.front().second))
        return std::nullopt;
    return values.front().second;
}

struct StoreFleetProbe::Parsed
{
    Expression qps, cpu, latency, cacheHit, evictions, retrieval, errors;
    Expression cpuPerQuery, serviceTime, generationPerQuery, queriesMeasured;
};

StoreFleetProbe::StoreFleetProbe(const TimeSeriesStore& store, FleetQueries queries, Clock clock)
    : m_store(store)
    , m_queries(std::move(queries))
    , m_clock(std::move(clock))
    , m_parsed(std::make_unique<Parsed>())
{
    const std::pair<const char*, std::pair<Expression*, QString>> all[] = {
        {"queriesPerSecond", {&m_parsed->qps, m_queries.queriesPerSecond}},
        {"cpuPercent", {&m_parsed->cpu, m_queries.cpuPercent}},
        {"latencySeconds", {&m_parsed->latency, m_queries.latencySeconds}},
        {"cacheHitPercent", {&m_parsed->cacheHit, m_queries.cacheHitPercent}},
        {"evictionsPerSecond", {&m_parsed->evictions, m_queries.evictionsPerSecond}},
        {"retrievalP95Seconds", {&m_parsed->retrieval, m_queries.retrievalP95Seconds}},
        {"errorPercent", {&m_parsed->errors, m_queries.errorPercent}},
        {"cpuSecondsPerQuery", {&m_parsed->cpuPerQuery, m_queries.cpuSecondsPerQuery}},
        {"serviceTimeSeconds", {&m_parsed->serviceTime, m_queries.serviceTimeSeconds}},
        {"generationSecondsPerQuery",
         {&m_parsed->generationPerQuery, m_queries.generationSecondsPerQuery}},
        {"queriesMeasured", {&m_parsed->queriesMeasured, m_queries.queriesMeasured}},
    };
    for (const auto& [name, target] : all) {
        *target.first = Expression::parse(target.second);
        if (!target.first->isValid() && m_error.isEmpty())
            m_error = QStringLiteral("%1: %2").arg(name, target.first->error());
    }
}

StoreFleetProbe::~StoreFleetProbe() = default;

FleetState StoreFleetProbe::read() const
{
    const qint64 now = m_clock();
    const auto value = [&](const Expression& e) { return instantValue(e, m_store, now); };
    FleetState s;
    s.queriesPerSecond = value(m_parsed->qps);
    s.cpuPercent = value(m_parsed->cpu);
    s.latencySeconds = value(m_parsed->latency);
    s.cacheHitPercent = value(m_parsed->cacheHit);
    s.redisEvictionsPerSecond = value(m_parsed->evictions);
    s.retrievalP95Seconds = value(m_parsed->retrieval);
    s.errorPercent = value(m_parsed->errors);
    s.cpuSecondsPerQuery = value(m_parsed->cpuPerQuery);
    s.serviceTimeSeconds = value(m_parsed->serviceTime);
    s.generationSecondsPerQuery = value(m_parsed->generationPerQuery);
    s.queriesMeasured = value(m_parsed->queriesMeasured);
    return s;
}

QHash<QString, double> StoreFleetProbe::requestsByInstance(qint64 windowMs) const
{
    QHash<QString, double> out;
    const Expression e = Expression::parse(
        m_queries.requestsByInstance.arg(std::max<qint64>(1, (windowMs + 999) / 1000)));
    if (!e.isValid())
        return out;
    for (const auto& [key, v] : e.instant(m_store, m_clock()))
        if (std::isfinite(v))
            out.insert(key.label("instance"), v);
    return out;
}

} // namespace querydeck
