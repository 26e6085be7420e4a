#include "backend/metrics/MetricCatalog.h"

#include "backend/metrics/ExpressionNode.h"

#include <QHash>

namespace querydeck {

namespace {

using Type = MetricSemantics::Type;
using Scope = MetricSemantics::Scope;
using Combine = MetricSemantics::Combine;
using Node = Expression::Node;

QList<MetricSemantics> buildCatalog()
{
    const auto m = [](const char* name, Type type, Scope scope, Combine combine = Combine::Sum) {
        return MetricSemantics{QLatin1String(name), type, scope, combine, {}, {}};
    };
    QList<MetricSemantics> c{
        // The service's /metrics (ServiceMetrics).
        m("querydeck_http_requests_total", Type::Counter, Scope::Replica),
        m("querydeck_http_request_duration_seconds", Type::Histogram, Scope::Replica),
        m("querydeck_http_in_flight_requests", Type::Gauge, Scope::Replica),
        m("querydeck_http_connections_open", Type::Gauge, Scope::Replica),
        m("querydeck_http_connections_refused_total", Type::Counter, Scope::Replica),
        m("querydeck_http_connections_timed_out_total", Type::Counter, Scope::Replica),
        m("querydeck_cache_lookups_total", Type::Counter, Scope::Replica),
        m("querydeck_cache_entries", Type::Gauge, Scope::Replica),
        m("querydeck_cache_bytes", Type::Gauge, Scope::Replica),
        m("querydeck_cache_evictions_total", Type::Counter, Scope::Replica),
        m("querydeck_fleet_cache_entries", Type::Gauge, Scope::Fleet, Combine::Max),
        m("querydeck_embedding_duration_seconds", Type::Histogram, Scope::Replica),
        m("querydeck_retrieval_duration_seconds", Type::Histogram, Scope::Replica),
        m("querydeck_generation_duration_seconds", Type::Histogram, Scope::Replica),
        m("querydeck_generation_queue_depth", Type::Gauge, Scope::Replica),
        m("querydeck_generation_in_flight", Type::Gauge, Scope::Replica),
        m("querydeck_generation_rejected_total", Type::Counter, Scope::Replica),
        m("querydeck_rate_limited_total", Type::Counter, Scope::Replica),
        // Distinct counts: a client seen by two replicas is one client.
        m("querydeck_active_users", Type::Gauge, Scope::Replica, Combine::Max),
        m("querydeck_fleet_active_users", Type::Gauge, Scope::Fleet, Combine::Max),
        m("querydeck_ready", Type::Gauge, Scope::Replica),
        m("querydeck_cache_redis_fallbacks_total", Type::Counter, Scope::Replica),
        m("querydeck_cache_degraded", Type::Gauge, Scope::Replica),
        m("querydeck_process_cpu_seconds_total", Type::Counter, Scope::Replica),
        m("querydeck_process_resident_memory_bytes", Type::Gauge, Scope::Replica),
        m("querydeck_process_start_time_seconds", Type::Gauge, Scope::Replica, Combine::Max),
        m("querydeck_build_info", Type::Gauge, Scope::Replica),
        // The console's own series: sources' health, the host, Redis INFO.
        m("up", Type::Gauge, Scope::Target),
        m("querydeck_host_cpu_usage_percent", Type::Gauge, Scope::Host, Combine::Max),
        m("querydeck_host_memory_used_bytes", Type::Gauge, Scope::Host),
        m("querydeck_host_memory_total_bytes", Type::Gauge, Scope::Host),
        m("querydeck_host_disk_read_bytes_per_second", Type::Gauge, Scope::Host),
        m("querydeck_host_disk_write_bytes_per_second", Type::Gauge, Scope::Host),
        m("querydeck_host_network_receive_bytes_per_second", Type::Gauge, Scope::Host),
        m("querydeck_host_network_transmit_bytes_per_second", Type::Gauge, Scope::Host),
        m("querydeck_host_filesystem_free_bytes", Type::Gauge, Scope::Host),
        m("querydeck_host_filesystem_size_bytes", Type::Gauge, Scope::Host),
        m("querydeck_redis_up", Type::Gauge, Scope::RedisServer),
        m("querydeck_redis_used_memory_bytes", Type::Gauge, Scope::RedisServer),
        m("querydeck_redis_used_memory_rss_bytes", Type::Gauge, Scope::RedisServer),
        m("querydeck_redis_max_memory_bytes", Type::Gauge, Scope::RedisServer),
        m("querydeck_redis_mem_fragmentation_ratio", Type::Gauge, Scope::RedisServer, Combine::Max),
        m("querydeck_redis_keyspace_hits_total", Type::Counter, Scope::RedisServer),
        m("querydeck_redis_keyspace_misses_total", Type::Counter, Scope::RedisServer),
        m("querydeck_redis_evicted_keys_total", Type::Counter, Scope::RedisServer),
        m("querydeck_redis_expired_keys_total", Type::Counter, Scope::RedisServer),
        m("querydeck_redis_connected_clients", Type::Gauge, Scope::RedisServer),
        m("querydeck_redis_keys", Type::Gauge, Scope::RedisServer),
        m("querydeck_redis_expiring_keys", Type::Gauge, Scope::RedisServer),
        m("querydeck_redis_is_master", Type::Gauge, Scope::RedisServer),
        m("querydeck_redis_master_link_up", Type::Gauge, Scope::RedisServer),
        m("querydeck_redis_replication_offset_bytes", Type::Gauge, Scope::RedisServer,
          Combine::Max),
        m("querydeck_redis_connected_replicas", Type::Gauge, Scope::RedisServer),
        m("querydeck_redis_replica_lag_bytes", Type::Gauge, Scope::RedisServer, Combine::Max),
        m("querydeck_redis_replica_lag_seconds", Type::Gauge, Scope::RedisServer, Combine::Max),
    };
    for (MetricSemantics& s : c) {
        if (s.name == u"querydeck_redis_keys") {
            s.rollupLabel = QStringLiteral("db");
            s.rollupValue = QStringLiteral("all");
        }
    }
    return c;
}

// The aggregation that combines a selector's series: the nearest one above
// it (range functions and arithmetic pass series through one by one).
struct Walk
{
    const Node* aggregation = nullptr;
    QStringList* problems = nullptr;
    QString text;

    void visit(const Node* node)
    {
        if (!node)
            return;
        if (node->kind == Node::Kind::Selector)
            return selector(*node);
        if (node->kind == Node::Kind::Aggregation) {
            Walk inner = *this;
            inner.aggregation = node;
            return inner.visit(node->lhs.get());
        }
        visit(node->lhs.get());
        visit(node->rhs.get());
    }

    void selector(const Node& node)
    {
        const MetricSemantics* s = MetricCatalog::find(node.metric);
        if (!s) {
            problems->append(
                QStringLiteral("%1: %2 is not in the metric catalog").arg(text, node.metric));
            return;
        }
        if (!aggregation)
            return;
        const bool keepsReplicasApart = aggregation->by.contains(QStringLiteral("instance"));
        if (aggregation->aggregator == Node::Aggregator::Sum && s->combine == Combine::Max &&
            !keepsReplicasApart)
            problems->append(
                QStringLiteral("%1: sum over %2 (%3): %4")
                    .arg(text, s->name, MetricSemantics::scopeName(s->scope), s->aggregation()));
        const bool adds = aggregation->aggregator == Node::Aggregator::Sum ||
                          aggregation->aggregator == Node::Aggregator::Avg;
        if (adds && !s->rollupLabel.isEmpty()) {
            bool selected = false;
            for (const LabelMatcher& matcher : node.matchers)
                selected = selected || matcher.name == s->rollupLabel;
            if (!selected)
                problems->append(QStringLiteral("%1: %2 without a %3 matcher counts %3=\"%4\" "
                                                "(the sum of the others) twice")
                                     .arg(text, s->name, s->rollupLabel, s->rollupValue));
        }
    }
};

} // namespace

QString MetricSemantics::typeName(Type type)
{
    switch (type) {
    case Type::Counter:
        return QStringLiteral("counter");
    case Type::Gauge:
        return QStringLiteral("gauge");
    case Type::Histogram:
        return QStringLiteral("histogram");
    }
    return {};
}

QString MetricSemantics::scopeName(Scope scope)
{
    switch (scope) {
    case Scope::Replica:
        return QStringLiteral("per replica");
    case Scope::Fleet:
        return QStringLiteral("fleet-wide");
    case Scope::Host:
        return QStringLiteral("per host");
    case Scope::RedisServer:
        return QStringLiteral("per Redis server");
    case Scope::Target:
        return QStringLiteral("per target");
    }
    return {};
}

QString MetricSemantics::aggregation() const
{
    if (scope == Scope::Fleet)
        return QStringLiteral("max: every replica exports the same value, never sum");
    if (combine == Combine::Max)
        return QStringLiteral("max, min or avg; never sum");
    if (type == Type::Histogram)
        return QStringLiteral("sum by (le), then histogram_quantile");
    if (type == Type::Counter)
        return QStringLiteral("sum of rate");
    return QStringLiteral("sum");
}

const QList<MetricSemantics>& MetricCatalog::all()
{
    static const QList<MetricSemantics> catalog = buildCatalog();
    return catalog;
}

const MetricSemantics* MetricCatalog::find(const QString& seriesName)
{
    static const QHash<QString, const MetricSemantics*> byName = [] {
        QHash<QString, const MetricSemantics*> map;
        for (const MetricSemantics& s : all()) {
            map.insert(s.name, &s);
            if (s.type == Type::Histogram)
                for (const char* suffix : {"_bucket", "_sum", "_count"})
                    map.insert(s.name + QLatin1String(suffix), &s);
        }
        return map;
    }();
    return byName.value(seriesName, nullptr);
}

QStringList MetricCatalog::check(const Expression& expression)
{
    QStringList problems;
    if (!expression.isValid()) {
        problems << QStringLiteral("%1: %2").arg(expression.text(), expression.error());
        return problems;
    }
    Walk walk{nullptr, &problems, expression.text()};
    walk.visit(expression.root());
    return problems;
}

} // namespace querydeck
