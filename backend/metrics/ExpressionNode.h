#pragma once

#include "backend/metrics/Expression.h"

#include <QRegularExpression>
#include <QStringList>
#include <memory>
#include <vector>

namespace querydeck {

// One label matcher of a selector. Regular expressions are anchored and
// compiled (optimize()) at parse time so evaluation only reads them.
struct LabelMatcher
{
    enum class Op
    {
        Equal,
        NotEqual,
        Regex,
        NotRegex
    };

    QString name;
    Op op = Op::Equal;
    QString value;
    QRegularExpression regex;

    bool matches(const QString& labelValue) const;
};

// The parsed form of an Expression: an immutable tree shared by copies of
// the Expression and read concurrently by evaluations.
struct Expression::Node
{
    enum class Kind
    {
        Number,
        Selector,
        RangeFunction,     // function(selector[range])
        Aggregation,       // op by (labels) (lhs)
        HistogramQuantile, // histogram_quantile(lhs, rhs)
        Binary,            // lhs op rhs
        Negate             // -lhs
    };
    enum class Function
    {
        Rate,
        Increase,
        AvgOverTime,
        MinOverTime,
        MaxOverTime
    };
    enum class Aggregator
    {
        Sum,
        Avg,
        Min,
        Max,
        Count
    };

    Kind kind = Kind::Number;
    int position = 0; // where it starts in the text
    int depth = 1;    // of the subtree; bounded so evaluation cannot exhaust the stack

    double number = 0.0;                // Number
    QString metric;                     // Selector
    std::vector<LabelMatcher> matchers; // Selector
    Function function = Function::Rate; // RangeFunction
    qint64 rangeMs = 0;                 // RangeFunction
    Aggregator aggregator = Aggregator::Sum;
    QStringList by; // Aggregation: grouping labels (empty: one group)
    char op = '+';  // Binary: + - * /

    std::shared_ptr<const Node> lhs;
    std::shared_ptr<const Node> rhs;
};

} // namespace querydeck
