#include "backend/metrics/ExpressionParser.h"

#include <algorithm>
#include <optional>

namespace querydeck {

using Node = Expression::Node;

namespace {

// Dashboards nest a handful of levels; this bounds the parser's and the
// evaluator's recursion against hostile input such as "((((...".
constexpr int kMaxDepth = 128;
// Rule and panel expressions are a few hundred characters; the bound keeps a
// hostile rules file or wizard paste from costing more than a quick scan.
constexpr qsizetype kMaxTextLength = 64 * 1024;

std::optional<Node::Function> rangeFunction(const QString& name)
{
    if (name == u"rate")
        return Node::Function::Rate;
    if (name == u"increase")
        return Node::Function::Increase;
    if (name == u"avg_over_time")
        return Node::Function::AvgOverTime;
    if (name == u"min_over_time")
        return Node::Function::MinOverTime;
    if (name == u"max_over_time")
        return Node::Function::MaxOverTime;
    return std::nullopt;
}

std::optional<Node::Aggregator> aggregator(const QString& name)
{
    if (name == u"sum")
        return Node::Aggregator::Sum;
    if (name == u"avg")
        return Node::Aggregator::Avg;
    if (name == u"min")
        return Node::Aggregator::Min;
    if (name == u"max")
        return Node::Aggregator::Max;
    if (name == u"count")
        return Node::Aggregator::Count;
    return std::nullopt;
}

} // namespace

std::shared_ptr<const Node> ExpressionParser::parse()
{
    m_scan.reset();
    m_nesting = 0;
    if (m_scan.text().size() > kMaxTextLength) {
        fail(QStringLiteral("expression is %1 characters; the limit is %2")
                 .arg(m_scan.text().size())
                 .arg(kMaxTextLength));
        return nullptr;
    }
    NodePtr root = parseAdditive();
    if (!root)
        return nullptr;
    skipSpaces();
    if (!atEnd()) {
        fail(QStringLiteral("unexpected %1 after the expression").arg(describeHere()));
        return nullptr;
    }
    return root;
}

bool ExpressionParser::setDepth(Node& node)
{
    node.depth = 1 + std::max(node.lhs ? node.lhs->depth : 0, node.rhs ? node.rhs->depth : 0);
    if (node.depth <= kMaxDepth)
        return true;
    failAt(node.position, QStringLiteral("expression nested deeper than %1 levels").arg(kMaxDepth));
    return false;
}

ExpressionParser::NodePtr ExpressionParser::parseAdditive()
{
    return parseBinary(&ExpressionParser::parseMultiplicative, u'+', u'-');
}

ExpressionParser::NodePtr ExpressionParser::parseMultiplicative()
{
    return parseBinary(&ExpressionParser::parseUnary, u'*', u'/');
}

// One precedence level of left-associative binary operators.
ExpressionParser::NodePtr ExpressionParser::parseBinary(NodePtr (ExpressionParser::*operand)(),
                                                        char16_t opA, char16_t opB)
{
    NodePtr left = (this->*operand)();
    while (left) {
        skipSpaces();
        const QChar c = peek();
        if (c != opA && c != opB)
            break;
        const int position = int(m_scan.pos());
        m_scan.advance();
        NodePtr right = (this->*operand)();
        if (!right)
            return nullptr;
        auto node = std::make_shared<Node>();
        node->kind = Node::Kind::Binary;
        node->position = position;
        node->op = char(c.unicode());
        node->lhs = std::move(left);
        node->rhs = std::move(right);
        if (!setDepth(*node))
            return nullptr;
        left = std::move(node);
    }
    return left;
}

ExpressionParser::NodePtr ExpressionParser::parseUnary()
{
    skipSpaces();
    if (m_nesting >= kMaxDepth)
        return fail(QStringLiteral("expression nested deeper than %1 levels").arg(kMaxDepth));
    ++m_nesting;
    NodePtr node = parseUnaryNested();
    --m_nesting;
    return node;
}

ExpressionParser::NodePtr ExpressionParser::parseUnaryNested()
{
    if (peek() == u'+') {
        m_scan.advance();
        return parseUnary();
    }
    if (peek() == u'-') {
        const int position = int(m_scan.pos());
        m_scan.advance();
        NodePtr operand = parseUnary();
        if (!operand)
            return nullptr;
        auto node = std::make_shared<Node>();
        node->kind = Node::Kind::Negate;
        node->position = position;
        node->lhs = std::move(operand);
        if (!setDepth(*node))
            return nullptr;
        return node;
    }
    return parsePrimary();
}

ExpressionParser::NodePtr ExpressionParser::parsePrimary()
{
    skipSpaces();
    const int position = int(m_scan.pos());
    const QChar c = peek();
    if (c == u'(') {
        m_scan.advance();
        NodePtr inner = parseAdditive();
        if (!inner || !expect(u')', QStringLiteral("to close the parenthesis")))
            return nullptr;
        return inner;
    }
    if (c.isDigit() || (c == u'.' && peek(1).isDigit()))
        return parseNumber();
    if (c == u'{')
        return fail(QStringLiteral("expected a metric name before '{'"));
    const QString name = identifier();
    if (name.isEmpty())
        return fail(QStringLiteral("expected an expression, found %1").arg(describeHere()));
    skipSpaces();
    if (const auto agg = aggregator(name);
        agg && (peek() == u'(' || ExpressionScanner::isIdentStart(peek())))
        return parseAggregation(*agg, position);
    if (const auto function = rangeFunction(name); function && peek() == u'(')
        return parseRangeFunction(*function, name, position);
    if (name == u"histogram_quantile" && peek() == u'(')
        return parseHistogramQuantile(position);
    if (peek() == u'(')
        return failAt(position, QStringLiteral("unknown function '%1'").arg(name));
    return parseSelector(name, position);
}

ExpressionParser::NodePtr ExpressionParser::parseNumber()
{
    const qsizetype start = m_scan.pos();
    auto node = std::make_shared<Node>();
    if (!m_scan.readNumber(node->number))
        return nullptr;
    node->kind = Node::Kind::Number;
    node->position = int(start);
    return node;
}

ExpressionParser::NodePtr ExpressionParser::parseSelector(const QString& metric, int position)
{
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::Selector;
    node->position = position;
    node->metric = metric;
    skipSpaces();
    if (peek() == u'{' && !parseMatchers(*node))
        return nullptr;
    return node;
}

bool ExpressionParser::parseMatchers(Node& node)
{
    m_scan.advance(); // '{'
    while (true) {
        skipSpaces();
        if (peek() == u'}') {
            m_scan.advance();
            return true;
        }
        LabelMatcher matcher;
        matcher.name = identifier();
        if (matcher.name.isEmpty()) {
            fail(QStringLiteral("expected a label name or '}' in label matchers, found %1")
                     .arg(describeHere()));
            return false;
        }
        skipSpaces();
        const QChar a = peek();
        const QChar b = peek(1);
        if (a == u'=' && b == u'~') {
            matcher.op = LabelMatcher::Op::Regex;
            m_scan.advance(2);
        } else if (a == u'!' && b == u'~') {
            matcher.op = LabelMatcher::Op::NotRegex;
            m_scan.advance(2);
        } else if (a == u'!' && b == u'=') {
            matcher.op = LabelMatcher::Op::NotEqual;
            m_scan.advance(2);
        } else if (a == u'=') {
            matcher.op = LabelMatcher::Op::Equal;
            m_scan.advance(1);
        } else {
            fail(QStringLiteral("expected one of = != =~ !~ after label '%1', found %2")
                     .arg(matcher.name, describeHere()));
            return false;
        }
        skipSpaces();
        const qsizetype valuePosition = m_scan.pos();
        if (!m_scan.readString(matcher.value))
            return false;
        if (matcher.op == LabelMatcher::Op::Regex || matcher.op == LabelMatcher::Op::NotRegex) {
            matcher.regex.setPattern(QRegularExpression::anchoredPattern(matcher.value));
            if (!matcher.regex.isValid()) {
                failAt(valuePosition,
                       QStringLiteral("invalid regular expression for label '%1': %2")
                           .arg(matcher.name, matcher.regex.errorString()));
                return false;
            }
            matcher.regex.optimize();
        }
        node.matchers.push_back(std::move(matcher));
        skipSpaces();
        if (peek() == u',') {
            m_scan.advance();
        } else if (peek() != u'}') {
            fail(QStringLiteral("expected ',' or '}' after label matchers, found %1")
                     .arg(describeHere()));
            return false;
        }
    }
}

ExpressionParser::NodePtr ExpressionParser::parseRangeFunction(Node::Function function,
                                                               const QString& name, int position)
{
    m_scan.advance(); // '('
    skipSpaces();
    const int selectorPosition = int(m_scan.pos());
    const QString metric = identifier();
    if (metric.isEmpty())
        return fail(QStringLiteral("expected a metric selector in %1(), found %2")
                        .arg(name, describeHere()));
    NodePtr selector = parseSelector(metric, selectorPosition);
    if (!selector)
        return nullptr;
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::RangeFunction;
    node->position = position;
    node->function = function;
    if (!expect(u'[', QStringLiteral("and a range after the selector in %1()").arg(name)) ||
        !m_scan.readDuration(node->rangeMs) ||
        !expect(u']', QStringLiteral("after the range duration")) ||
        !expect(u')', QStringLiteral("to close %1(").arg(name)))
        return nullptr;
    node->lhs = std::move(selector);
    node->depth = 2;
    return node;
}

bool ExpressionParser::parseGrouping(QStringList& labels)
{
    skipSpaces();
    const qsizetype keywordPosition = m_scan.pos();
    const QString keyword = identifier();
    if (keyword != u"by") {
        failAt(
            keywordPosition,
            QStringLiteral("expected 'by' or '(' after the aggregation, found '%1'").arg(keyword));
        return false;
    }
    if (!expect(u'(', QStringLiteral("after 'by'")))
        return false;
    while (true) {
        skipSpaces();
        if (peek() == u')') {
            m_scan.advance();
            return true;
        }
        const QString label = identifier();
        if (label.isEmpty()) {
            fail(QStringLiteral("expected a label name in by (...), found %1").arg(describeHere()));
            return false;
        }
        labels.append(label);
        skipSpaces();
        if (peek() == u',')
            m_scan.advance();
        else if (peek() != u')') {
            fail(QStringLiteral("expected ',' or ')' in by (...), found %1").arg(describeHere()));
            return false;
        }
    }
}

ExpressionParser::NodePtr ExpressionParser::parseAggregation(Node::Aggregator aggregator,
                                                             int position)
{
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::Aggregation;
    node->position = position;
    node->aggregator = aggregator;
    bool grouped = false;
    skipSpaces();
    if (peek() != u'(') {
        if (!parseGrouping(node->by))
            return nullptr;
        grouped = true;
    }
    if (!expect(u'(', QStringLiteral("to open the aggregation's argument")))
        return nullptr;
    node->lhs = parseAdditive();
    if (!node->lhs || !expect(u')', QStringLiteral("to close the aggregation")))
        return nullptr;
    skipSpaces();
    if (!grouped && ExpressionScanner::isIdentStart(peek())) {
        // PromQL also takes the grouping after the argument: sum (x) by (l).
        const qsizetype save = m_scan.pos();
        if (identifier() == u"by") {
            m_scan.seek(save);
            if (!parseGrouping(node->by))
                return nullptr;
        } else {
            m_scan.seek(save);
        }
    }
    if (!setDepth(*node))
        return nullptr;
    return node;
}

ExpressionParser::NodePtr ExpressionParser::parseHistogramQuantile(int position)
{
    m_scan.advance(); // '('
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::HistogramQuantile;
    node->position = position;
    node->lhs = parseAdditive();
    if (!node->lhs ||
        !expect(u',',
                QStringLiteral("between the quantile and the buckets in histogram_quantile()")))
        return nullptr;
    node->rhs = parseAdditive();
    if (!node->rhs || !expect(u')', QStringLiteral("to close histogram_quantile(")) ||
        !setDepth(*node))
        return nullptr;
    return node;
}

} // namespace querydeck
