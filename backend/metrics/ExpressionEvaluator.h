#pragma once

#include "backend/metrics/ExpressionNode.h"

#include <unordered_map>
#include <vector>

namespace querydeck {

// Evaluates an Expression tree at instants within [from, to]. Each selector's
// series are read from the store once, for the whole span, and every step
// then works on those copies with binary searches: a range() over 600 steps
// costs one window read per series instead of 600. Counter-reset sums are
// precomputed per series so rate() is O(log n) per step.
// One evaluator per evaluation call and thread; the store is only read.
class ExpressionEvaluator
{
public:
    using Node = Expression::Node;
    using Vector = std::vector<std::pair<SeriesKey, double>>;

    struct Value
    {
        bool isScalar = false;
        double scalar = 0.0;
        Vector vector;
    };

    ExpressionEvaluator(const TimeSeriesStore& store, qint64 from, qint64 to);

    Value evaluate(const Node& node, qint64 t);

private:
    struct SeriesData
    {
        SeriesKey key;     // as stored
        SeriesKey unnamed; // without the metric name, for derived results
        std::vector<Point> points;
        std::vector<double> resets; // resets[i]: sum of values before drops up to i
    };

    // keepStaleMarkers: instant selectors need them to end a series; range
    // functions drop them.
    const std::vector<SeriesData>& fetch(const Node& selector, qint64 lookbackMs,
                                         bool keepStaleMarkers);
    Vector selector(const Node& node, qint64 t);
    Vector rangeFunction(const Node& node, qint64 t);
    Vector aggregation(const Node& node, qint64 t);
    Vector histogramQuantile(const Node& node, qint64 t);
    Value binary(const Node& node, qint64 t);

    const TimeSeriesStore& m_store;
    qint64 m_from;
    qint64 m_to;
    std::unordered_map<const Node*, std::vector<SeriesData>> m_cache;
};

} // namespace querydeck
