#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace querydeck {

class Expression;

// What one exported metric measures: who it belongs to (one replica, the
// whole fleet, the host, a Redis server, a scrape target) and so how its
// series may be combined. A fleet-wide figure that every replica exports
// (the shared HyperLogLog's distinct users) must never be summed: four
// sources of "20" are 20, not 80.
struct MetricSemantics
{
    enum class Type
    {
        Counter,
        Gauge,
        Histogram
    };
    enum class Scope
    {
        Replica,     // one query service replica's own figure
        Fleet,       // every replica sharing the Redis exports the same value
        Host,        // the console's /proc source: one host
        RedisServer, // one Redis server, as the console's INFO source reads it
        Target       // one scrape target or source of the console
    };
    // How series of this metric combine into one figure.
    enum class Combine
    {
        Sum, // additive: sum (and avg, min, max, count) are all meaningful
        Max  // not additive (a copy of one fleet-wide value, a distinct count,
             // a percentage, a timestamp): max/min/avg, never sum
    };

    QString name; // as exported; a histogram by its base name
    Type type = Type::Gauge;
    Scope scope = Scope::Replica;
    Combine combine = Combine::Sum;
    // A label whose value `rollupValue` is the sum of the others (Redis keys,
    // db="all"): a sum must select one side or it counts everything twice.
    QString rollupLabel;
    QString rollupValue;

    static QString typeName(Type type);    // "counter"
    static QString scopeName(Scope scope); // "per replica", "fleet-wide", ...
    // How to aggregate across replicas or servers, as the README says it.
    QString aggregation() const;
};

// The declared semantics of every metric QueryDeck exports (the service's
// /metrics) or records in the console's store, and a check of expressions
// against them. The README's metrics reference states the same table;
// tst_metriccatalog keeps the two, the service's registry, and every bundled
// dashboard and alert rule in agreement. Immutable; any thread.
class MetricCatalog
{
public:
    static const QList<MetricSemantics>& all();
    // The entry for a series name (histogram _bucket/_sum/_count map to their
    // base), or nullptr.
    static const MetricSemantics* find(const QString& seriesName);
    // What is wrong with how `expression` combines the metrics it reads: an
    // undeclared metric, a sum over a non-additive one (unless grouped by
    // instance, which keeps replicas apart), a sum over a rollup label. Empty
    // when it matches every metric's semantics.
    static QStringList check(const Expression& expression);
};

} // namespace querydeck
