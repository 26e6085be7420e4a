#pragma once

#include "backend/metrics/Series.h"

#include <QString>
#include <memory>

namespace querydeck {

class TimeSeriesStore;

// The dashboards' (and alert rules') language: a PromQL subset evaluated over
// a TimeSeriesStore the way Prometheus would.
//   selector        metric{label="v", label!="v", label=~"re", label!~"re"}
//   range functions rate(sel[5m]) increase(sel[1m]) avg_over_time max_over_time min_over_time
//   aggregation     sum|avg|min|max|count [by (l1, l2)] (expr)
//   histograms      histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))
//   arithmetic      expr (+ - * /) expr | number; parentheses; unary minus
// rate() handles counter resets and extrapolates as Prometheus does. A binary
// operation between two vectors matches series on identical label sets (after
// aggregation, usually one series each). Division by zero gives no point.
// Parsed once, evaluated many times; evaluate() is const and thread-safe.
class Expression
{
public:
    struct Node;

    static Expression parse(const QString& text); // check error()
    Expression();
    ~Expression();
    Expression(Expression&&) noexcept;
    Expression& operator=(Expression&&) noexcept;

    bool isValid() const { return m_error.isEmpty() && m_root != nullptr; }
    QString error() const { return m_error; } // names the position and the problem
    QString text() const { return m_text; }
    // The parsed tree (ExpressionNode.h), for writers such as PromQlWriter.
    const Node* root() const { return m_root.get(); }

    // One value per series at instant t (look-back 5 min for plain selectors).
    std::vector<std::pair<SeriesKey, double>> instant(const TimeSeriesStore& store, qint64 t) const;
    // Series over [from, to] at `stepMs` intervals (t = from, from+step, ...).
    // Legends come from labels: the template "{{route}} {{code}}" or, when
    // empty, the series' label set.
    std::vector<EvaluatedSeries> range(const TimeSeriesStore& store, qint64 from, qint64 to,
                                       qint64 stepMs, const QString& legendTemplate = {}) const;
    // The legend range() gives the series `key` of this expression.
    QString legend(const SeriesKey& key, const QString& legendTemplate) const;

private:
    QString m_text;
    QString m_error;
    std::shared_ptr<const Node> m_root;
};

} // namespace querydeck
