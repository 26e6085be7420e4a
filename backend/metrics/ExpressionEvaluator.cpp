#include "backend/metrics/ExpressionEvaluator.h"

#include "backend/metrics/GroupIndex.h"
#include "backend/metrics/StaleMarker.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QHash>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

namespace querydeck {

namespace {

constexpr qint64 kLookbackMs = 5 * 60 * 1000; // plain selectors, as Prometheus
const double kNaN = std::numeric_limits<double>::quiet_NaN();

SeriesKey unnamed(const SeriesKey& key)
{
    SeriesKey out;
    out.labels = key.labels;
    return out;
}

// Index of the first point with t > limit.
std::size_t upperBound(const std::vector<Point>& points, qint64 limit)
{
    return std::size_t(std::upper_bound(points.begin(), points.end(), limit,
                                        [](qint64 value, const Point& p) { return value < p.t; }) -
                       points.begin());
}

struct Bucket
{
    double upperBound;
    double count;
};

// Prometheus's bucketQuantile: linear interpolation inside the bucket that
// holds the rank; the +Inf bucket answers with the largest finite bound.
double bucketQuantile(double q, std::vector<Bucket>& buckets)
{
    if (std::isnan(q))
        return kNaN;
    if (q < 0)
        return -std::numeric_limits<double>::infinity();
    if (q > 1)
        return std::numeric_limits<double>::infinity();
    std::sort(buckets.begin(), buckets.end(),
              [](const Bucket& a, const Bucket& b) { return a.upperBound < b.upperBound; });
    if (buckets.size() < 2 || !std::isinf(buckets.back().upperBound) ||
        buckets.back().upperBound < 0)
        return kNaN;
    // Buckets scraped at slightly different moments can be non-monotonic:
    // merge equal bounds, then never let a cumulative count go down.
    std::vector<Bucket> merged;
    for (const Bucket& b : buckets) {
        if (!merged.empty() && merged.back().upperBound == b.upperBound)
            merged.back().count += b.count;
        else
            merged.push_back(b);
    }
    double max = -std::numeric_limits<double>::infinity();
    for (Bucket& b : merged) {
        max = std::max(max, b.count);
        b.count = max;
    }
    if (merged.size() < 2)
        return kNaN;
    const double observations = merged.back().count;
    if (!(observations > 0))
        return kNaN;
    double rank = q * observations;
    std::size_t b = std::size_t(
        std::lower_bound(merged.begin(), merged.end(), rank,
                         [](const Bucket& bucket, double r) { return bucket.count < r; }) -
        merged.begin());
    if (b >= merged.size() - 1)
        return merged[merged.size() - 2].upperBound;
    if (b == 0 && merged[0].upperBound <= 0)
        return merged[0].upperBound;
    double bucketStart = 0;
    const double bucketEnd = merged[b].upperBound;
    double count = merged[b].count;
    if (b > 0) {
        bucketStart = merged[b - 1].upperBound;
        count -= merged[b - 1].count;
        rank -= merged[b - 1].count;
    }
    if (count <= 0)
        return bucketEnd;
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

// Bucket bounds as exposed: "0.25", "1e-3", "+Inf". QString::toDouble goes
// through the locale machinery and dominated histogram_quantile's profile.
std::optional<double> parseBound(const QString& text)
{
    char buffer[64];
    const qsizetype size = text.size();
    if (size == 0 || size >= qsizetype(sizeof buffer))
        return std::nullopt;
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t c = text[i].unicode();
        if (c > 127)
            return std::nullopt;
        buffer[i] = char(c);
    }
    const char* begin = buffer;
    if (*begin == '+')
        ++begin;
    double value = 0.0;
    const auto [end, ec] = std::from_chars(begin, buffer + size, value);
    if (ec != std::errc() || end != buffer + size)
        return std::nullopt;
    return value;
}

std::optional<double> arithmetic(char op, double a, double b)
{
    switch (op) {
    case '+':
        return a + b;
    case '-':
        return a - b;
    case '*':
        return a * b;
    case '/':
        if (b == 0)
            return std::nullopt; // no point rather than ±Inf on a dashboard
        return a / b;
    }
    return std::nullopt;
}

} // namespace

bool LabelMatcher::matches(const QString& labelValue) const
{
    switch (op) {
    case Op::Equal:
        return labelValue == value;
    case Op::NotEqual:
        return labelValue != value;
    case Op::Regex:
        return regex.match(labelValue).hasMatch();
    case Op::NotRegex:
        return !regex.match(labelValue).hasMatch();
    }
    return false;
}

ExpressionEvaluator::ExpressionEvaluator(const TimeSeriesStore& store, qint64 from, qint64 to)
    : m_store(store)
    , m_from(from)
    , m_to(to)
{
}

const std::vector<ExpressionEvaluator::SeriesData>&
ExpressionEvaluator::fetch(const Node& node, qint64 lookbackMs, bool keepStaleMarkers)
{
    const auto cached = m_cache.find(&node);
    if (cached != m_cache.end())
        return cached->second;
    std::vector<SeriesData>& out = m_cache[&node];
    for (SeriesKey& key : m_store.keysOf(node.metric)) {
        bool matched = true;
        for (const LabelMatcher& matcher : node.matchers) {
            const QString value = matcher.name == u"__name__" ? key.name : key.label(matcher.name);
            if (!matcher.matches(value)) {
                matched = false;
                break;
            }
        }
        if (!matched)
            continue;
        SeriesData data;
        data.points = m_store.window(key.toString(), m_from - lookbackMs, m_to);
        if (!keepStaleMarkers) {
            // Range functions see only values, as Prometheus's range vectors.
            data.points.erase(std::remove_if(data.points.begin(), data.points.end(),
                                             [](const Point& p) { return isStaleMarker(p.v); }),
                              data.points.end());
        }
        if (data.points.empty())
            continue;
        data.resets.resize(data.points.size());
        double sum = 0.0;
        data.resets[0] = 0.0;
        for (std::size_t i = 1; i < data.points.size(); ++i) {
            if (data.points[i].v < data.points[i - 1].v)
                sum += data.points[i - 1].v;
            data.resets[i] = sum;
        }
        data.unnamed = unnamed(key);
        data.key = std::move(key);
        out.push_back(std::move(data));
    }
    return out;
}

ExpressionEvaluator::Value ExpressionEvaluator::evaluate(const Node& node, qint64 t)
{
    Value value;
    switch (node.kind) {
    case Node::Kind::Number:
        value.isScalar = true;
        value.scalar = node.number;
        return value;
    case Node::Kind::Selector:
        value.vector = selector(node, t);
        return value;
    case Node::Kind::RangeFunction:
        value.vector = rangeFunction(node, t);
        return value;
    case Node::Kind::Aggregation:
        value.vector = aggregation(node, t);
        return value;
    case Node::Kind::HistogramQuantile:
        value.vector = histogramQuantile(node, t);
        return value;
    case Node::Kind::Binary:
        return binary(node, t);
    case Node::Kind::Negate:
        value = evaluate(*node.lhs, t);
        if (value.isScalar) {
            value.scalar = -value.scalar;
        } else {
            for (auto& [key, v] : value.vector) {
                key.name.clear();
                v = -v;
            }
        }
        return value;
    }
    return value;
}

ExpressionEvaluator::Vector ExpressionEvaluator::selector(const Node& node, qint64 t)
{
    Vector out;
    for (const SeriesData& series : fetch(node, kLookbackMs, true)) {
        const std::size_t end = upperBound(series.points, t);
        if (end == 0)
            continue;
        // The latest sample within the look-back, unless the series ended
        // (a staleness marker) before t.
        const Point& latest = series.points[end - 1];
        if (latest.t >= t - kLookbackMs && !isStaleMarker(latest.v))
            out.emplace_back(series.key, latest.v);
    }
    return out;
}

ExpressionEvaluator::Vector ExpressionEvaluator::rangeFunction(const Node& node, qint64 t)
{
    Vector out;
    const qint64 rangeStart = t - node.rangeMs;
    for (const SeriesData& series : fetch(*node.lhs, node.rangeMs, false)) {
        const std::vector<Point>& points = series.points;
        // The window is (t - range, t], as in Prometheus 3.
        const std::size_t begin = upperBound(points, rangeStart);
        const std::size_t end = upperBound(points, t);
        if (begin >= end)
            continue;
        const std::size_t n = end - begin;
        const Point& first = points[begin];
        const Point& last = points[end - 1];
        double result = 0.0;
        switch (node.function) {
        case Node::Function::Rate:
        case Node::Function::Increase: {
            if (n < 2)
                continue;
            // A drop means the counter restarted from 0: add what it had
            // reached before the drop (Prometheus's counter correction).
            result = last.v - first.v + (series.resets[end - 1] - series.resets[begin]);
            // Prometheus's extrapolatedRate: extend to the window edges when
            // the samples reach close to them, never below zero.
            double toStart = double(first.t - rangeStart) / 1000.0;
            double toEnd = double(t - last.t) / 1000.0;
            const double sampled = double(last.t - first.t) / 1000.0;
            const double average = sampled / double(n - 1);
            const double threshold = average * 1.1;
            if (toStart >= threshold)
                toStart = average / 2;
            if (result > 0 && first.v >= 0) {
                const double toZero = sampled * (first.v / result);
                toStart = std::min(toStart, toZero);
            }
            if (toEnd >= threshold)
                toEnd = average / 2;
            result *= (sampled + toStart + toEnd) / sampled;
            if (node.function == Node::Function::Rate)
                result /= double(node.rangeMs) / 1000.0;
            break;
        }
        case Node::Function::AvgOverTime: {
            double sum = 0.0;
            for (std::size_t i = begin; i < end; ++i)
                sum += points[i].v;
            result = sum / double(n);
            break;
        }
        case Node::Function::MinOverTime:
        case Node::Function::MaxOverTime: {
            const bool isMin = node.function == Node::Function::MinOverTime;
            result = first.v;
            for (std::size_t i = begin; i < end; ++i) {
                const double v = points[i].v;
                if (std::isnan(result) || (isMin ? v < result : v > result))
                    result = v;
            }
            break;
        }
        }
        out.emplace_back(series.unnamed, result);
    }
    return out;
}

ExpressionEvaluator::Vector ExpressionEvaluator::aggregation(const Node& node, qint64 t)
{
    const Value input = evaluate(*node.lhs, t);
    if (input.isScalar)
        return {};
    struct Group
    {
        SeriesKey key;
        double value = 0.0;
        double count = 0.0;
    };
    std::vector<Group> groups;
    GroupIndex index;
    QString groupId;
    for (const auto& [key, v] : input.vector) {
        groupId.clear();
        for (const QString& label : node.by) {
            groupId += key.label(label);
            groupId += u'\x1f';
        }
        const auto [slot, inserted] = index.findOrInsert(groupId, groups.size());
        if (inserted) {
            QList<QPair<QString, QString>> labels;
            for (const QString& label : node.by) {
                const QString value = key.label(label);
                if (!value.isEmpty())
                    labels.append({label, value});
            }
            Group& group = groups.emplace_back();
            group.key = SeriesKey::make({}, std::move(labels));
            group.value = v;
            group.count = 1;
            continue;
        }
        Group& group = groups[slot];
        group.count += 1;
        switch (node.aggregator) {
        case Node::Aggregator::Sum:
        case Node::Aggregator::Avg:
            group.value += v;
            break;
        case Node::Aggregator::Min:
            if (std::isnan(group.value) || v < group.value)
                group.value = v;
            break;
        case Node::Aggregator::Max:
            if (std::isnan(group.value) || v > group.value)
                group.value = v;
            break;
        case Node::Aggregator::Count:
            break;
        }
    }
    Vector out;
    out.reserve(groups.size());
    for (Group& group : groups) {
        double value = group.value;
        if (node.aggregator == Node::Aggregator::Avg)
            value /= group.count;
        else if (node.aggregator == Node::Aggregator::Count)
            value = group.count;
        out.emplace_back(std::move(group.key), value);
    }
    return out;
}

ExpressionEvaluator::Vector ExpressionEvaluator::histogramQuantile(const Node& node, qint64 t)
{
    const Value q = evaluate(*node.lhs, t);
    const Value input = evaluate(*node.rhs, t);
    if (!q.isScalar || input.isScalar)
        return {};
    struct Group
    {
        SeriesKey key;
        std::vector<Bucket> buckets;
    };
    std::vector<Group> groups;
    GroupIndex index;
    for (const auto& [key, v] : input.vector) {
        SeriesKey groupKey;
        QString le;
        for (const auto& label : key.labels) {
            if (label.first == u"le")
                le = label.second;
            else
                groupKey.labels.append(label);
        }
        const std::optional<double> bound = parseBound(le);
        if (!bound)
            continue; // not a bucket series
        const QString id = groupKey.toString();
        const auto [slot, inserted] = index.findOrInsert(id, groups.size());
        if (inserted)
            groups.push_back({std::move(groupKey), {}});
        groups[slot].buckets.push_back({*bound, v});
    }
    Vector out;
    for (Group& group : groups) {
        const double value = bucketQuantile(q.scalar, group.buckets);
        if (!std::isnan(value)) // no observations or no +Inf bucket: no point
            out.emplace_back(std::move(group.key), value);
    }
    return out;
}

ExpressionEvaluator::Value ExpressionEvaluator::binary(const Node& node, qint64 t)
{
    Value left = evaluate(*node.lhs, t);
    Value right = evaluate(*node.rhs, t);
    Value out;
    if (left.isScalar && right.isScalar) {
        const std::optional<double> v = arithmetic(node.op, left.scalar, right.scalar);
        if (v) {
            out.isScalar = true;
            out.scalar = *v;
        }
        return out;
    }
    if (left.isScalar || right.isScalar) {
        const bool scalarLeft = left.isScalar;
        const double scalar = scalarLeft ? left.scalar : right.scalar;
        for (auto& [key, v] : scalarLeft ? right.vector : left.vector) {
            const std::optional<double> r =
                scalarLeft ? arithmetic(node.op, scalar, v) : arithmetic(node.op, v, scalar);
            if (r)
                out.vector.emplace_back(unnamed(key), *r);
        }
        return out;
    }
    // Vector with vector: one-to-one on identical label sets, name ignored.
    QHash<QString, double> rightByLabels;
    rightByLabels.reserve(qsizetype(right.vector.size()));
    for (const auto& [key, v] : right.vector)
        rightByLabels.insert(unnamed(key).toString(), v);
    for (const auto& [key, v] : left.vector) {
        SeriesKey labelsOnly = unnamed(key);
        const auto match = rightByLabels.constFind(labelsOnly.toString());
        if (match == rightByLabels.cend())
            continue;
        const std::optional<double> r = arithmetic(node.op, v, match.value());
        if (r)
            out.vector.emplace_back(std::move(labelsOnly), *r);
    }
    return out;
}

} // namespace querydeck
