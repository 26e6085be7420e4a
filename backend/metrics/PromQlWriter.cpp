#include "backend/metrics/PromQlWriter.h"

#include "backend/metrics/ExpressionNode.h"
#include "backend/metrics/PromDuration.h"

#include <QRegularExpression>
#include <QSet>
#include <charconv>
#include <cmath>

namespace querydeck::PromQlWriter {

namespace {

using Node = Expression::Node;

// Words the PromQL lexer reads as keywords (or numbers) wherever a metric name
// could stand; such a metric must be selected by {__name__="..."}.
bool isKeyword(const QString& name)
{
    static const QSet<QString> keywords{
        QStringLiteral("and"),      QStringLiteral("or"),           QStringLiteral("unless"),
        QStringLiteral("by"),       QStringLiteral("without"),      QStringLiteral("on"),
        QStringLiteral("ignoring"), QStringLiteral("group_left"),   QStringLiteral("group_right"),
        QStringLiteral("bool"),     QStringLiteral("offset"),       QStringLiteral("atan2"),
        QStringLiteral("sum"),      QStringLiteral("avg"),          QStringLiteral("count"),
        QStringLiteral("min"),      QStringLiteral("max"),          QStringLiteral("group"),
        QStringLiteral("stddev"),   QStringLiteral("stdvar"),       QStringLiteral("topk"),
        QStringLiteral("bottomk"),  QStringLiteral("count_values"), QStringLiteral("quantile"),
        QStringLiteral("start"),    QStringLiteral("end"),          QStringLiteral("inf"),
        QStringLiteral("nan")};
    return keywords.contains(name.toLower());
}

// RE2 (Prometheus) has no lookaround and no backreferences; PCRE (our
// evaluator) has. Refusing them keeps both sides matching the same series.
QString regexProblem(const QString& pattern)
{
    static const QRegularExpression pcreOnly(
        QStringLiteral(R"(\(\?<?[=!]|\\[1-9]|\(\?>|\\[gk]<|[*+?}][+])"));
    if (pcreOnly.match(pattern).hasMatch())
        return QStringLiteral("regular expression \"%1\" uses lookaround, backreferences, atomic "
                              "groups or possessive quantifiers, which Prometheus (RE2) does not "
                              "support")
            .arg(pattern);
    return {};
}

int precedence(const Node& node)
{
    if (node.kind == Node::Kind::Binary)
        return node.op == '+' || node.op == '-' ? 1 : 2;
    if (node.kind == Node::Kind::Negate)
        return 3;
    return 4;
}

class Writer
{
public:
    QString error;

    QString write(const Node& node)
    {
        if (!error.isEmpty())
            return {};
        switch (node.kind) {
        case Node::Kind::Number:
            return number(node.number);
        case Node::Kind::Selector:
            return selector(node);
        case Node::Kind::RangeFunction:
            return functionName(node.function) + u'(' + selector(*node.lhs) + u'[' +
                   PromDuration::format(node.rangeMs) + QStringLiteral("])");
        case Node::Kind::Aggregation: {
            QString out = aggregatorName(node.aggregator);
            if (!node.by.isEmpty()) {
                for (const QString& label : node.by)
                    checkLabelName(label);
                out += QStringLiteral(" by (") + node.by.join(QStringLiteral(", ")) +
                       QStringLiteral(") ");
            }
            return out + u'(' + write(*node.lhs) + u')';
        }
        case Node::Kind::HistogramQuantile:
            return QStringLiteral("histogram_quantile(") + write(*node.lhs) + QStringLiteral(", ") +
                   write(*node.rhs) + u')';
        case Node::Kind::Binary: {
            // Left-associative: the right operand needs parentheses at the
            // same precedence ("a - (b - c)"), the left one only below it.
            const int own = precedence(node);
            return operand(*node.lhs, precedence(*node.lhs) < own) + u' ' + QChar(node.op) + u' ' +
                   operand(*node.rhs, precedence(*node.rhs) <= own);
        }
        case Node::Kind::Negate:
            return u'-' + operand(*node.lhs, precedence(*node.lhs) < precedence(node));
        }
        return {};
    }

private:
    QString operand(const Node& node, bool parenthesise)
    {
        const QString text = write(node);
        return parenthesise ? u'(' + text + u')' : text;
    }

    void checkLabelName(const QString& name)
    {
        static const QRegularExpression valid(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        if (error.isEmpty() && !valid.match(name).hasMatch())
            error = QStringLiteral("label name \"%1\" is not valid in PromQL (letters, digits and "
                                   "'_' only)")
                        .arg(name);
    }

    QString selector(const Node& node)
    {
        QStringList matchers;
        const bool keyword = isKeyword(node.metric);
        if (keyword)
            matchers << QStringLiteral("__name__=") + quote(node.metric);
        for (const LabelMatcher& matcher : node.matchers) {
            checkLabelName(matcher.name);
            if (matcher.op == LabelMatcher::Op::Regex || matcher.op == LabelMatcher::Op::NotRegex) {
                if (const QString problem = regexProblem(matcher.value);
                    !problem.isEmpty() && error.isEmpty())
                    error = problem;
            }
            matchers << matcher.name + opText(matcher.op) + quote(matcher.value);
        }
        const QString name = keyword ? QString() : node.metric;
        if (matchers.isEmpty())
            return name;
        return name + u'{' + matchers.join(u',') + u'}';
    }

    static QString opText(LabelMatcher::Op op)
    {
        switch (op) {
        case LabelMatcher::Op::Equal:
            return QStringLiteral("=");
        case LabelMatcher::Op::NotEqual:
            return QStringLiteral("!=");
        case LabelMatcher::Op::Regex:
            return QStringLiteral("=~");
        case LabelMatcher::Op::NotRegex:
            return QStringLiteral("!~");
        }
        return {};
    }

    static QString functionName(Node::Function function)
    {
        switch (function) {
        case Node::Function::Rate:
            return QStringLiteral("rate");
        case Node::Function::Increase:
            return QStringLiteral("increase");
        case Node::Function::AvgOverTime:
            return QStringLiteral("avg_over_time");
        case Node::Function::MinOverTime:
            return QStringLiteral("min_over_time");
        case Node::Function::MaxOverTime:
            return QStringLiteral("max_over_time");
        }
        return {};
    }

    static QString aggregatorName(Node::Aggregator aggregator)
    {
        switch (aggregator) {
        case Node::Aggregator::Sum:
            return QStringLiteral("sum");
        case Node::Aggregator::Avg:
            return QStringLiteral("avg");
        case Node::Aggregator::Min:
            return QStringLiteral("min");
        case Node::Aggregator::Max:
            return QStringLiteral("max");
        case Node::Aggregator::Count:
            return QStringLiteral("count");
        }
        return {};
    }
};

} // namespace

Result write(const Expression& expression)
{
    if (!expression.isValid())
        return {QString(), expression.error()};
    Writer writer;
    QString text = writer.write(*expression.root());
    if (!writer.error.isEmpty())
        return {QString(), writer.error};
    return {text, QString()};
}

QString number(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QString::fromLatin1(buffer, result.ptr - buffer);
}

QString quote(const QString& value)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : value) {
        switch (c.unicode()) {
        case '\\':
            out += QLatin1String("\\\\");
            break;
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\t':
            out += QLatin1String("\\t");
            break;
        case '\r':
            out += QLatin1String("\\r");
            break;
        default: {
            // Controls, C1, line/paragraph separators and the BOM as \uNNNN:
            // valid in a PromQL (Go) string and in a YAML double-quoted scalar
            // alike, so the rules exporter quotes with this too.
            const char16_t u = c.unicode();
            if (u < 0x20 || u == 0x7f || (u >= 0x80 && u <= 0x9f) || u == 0x2028 || u == 0x2029 ||
                u == 0xfeff)
                out += QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
        }
    }
    return out + u'"';
}

} // namespace querydeck::PromQlWriter
