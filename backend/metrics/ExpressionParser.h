#pragma once

#include "backend/metrics/ExpressionNode.h"
#include "backend/metrics/ExpressionScanner.h"

#include <QString>
#include <memory>

namespace querydeck {

// Recursive-descent parser for the Expression language (see Expression.h):
// the grammar and the tree; ExpressionScanner reads the characters. Errors
// read "at <offset>: <what was expected>", the offset counted in characters
// from 0. One instance parses one text; not shared.
class ExpressionParser
{
public:
    explicit ExpressionParser(const QString& text)
        : m_scan(text)
    {
    }

    // The tree, or nullptr with error() set.
    std::shared_ptr<const Expression::Node> parse();
    QString error() const { return m_scan.error(); }

private:
    using NodePtr = std::shared_ptr<Expression::Node>;

    NodePtr parseAdditive();
    NodePtr parseMultiplicative();
    NodePtr parseBinary(NodePtr (ExpressionParser::*operand)(), char16_t opA, char16_t opB);
    NodePtr parseUnary();
    NodePtr parseUnaryNested();
    NodePtr parsePrimary();
    NodePtr parseNumber();
    NodePtr parseSelector(const QString& metric, int position);
    bool parseMatchers(Expression::Node& node);
    NodePtr parseRangeFunction(Expression::Node::Function function, const QString& name,
                               int position);
    NodePtr parseAggregation(Expression::Node::Aggregator aggregator, int position);
    bool parseGrouping(QStringList& labels);
    NodePtr parseHistogramQuantile(int position);

    // Shorthands for the scanner, which owns the cursor and the error.
    QString identifier() { return m_scan.identifier(); }
    bool expect(QChar c, const QString& what) { return m_scan.expect(c, what); }
    void skipSpaces() { m_scan.skipSpaces(); }
    QChar peek(int ahead = 0) const { return m_scan.peek(ahead); }
    bool atEnd() const { return m_scan.atEnd(); }
    QString describeHere() const { return m_scan.describeHere(); }
    NodePtr fail(const QString& what) { return failAt(m_scan.pos(), what); }
    NodePtr failAt(qsizetype position, const QString& what)
    {
        m_scan.failAt(position, what);
        return nullptr;
    }
    // Sets node's depth from its children; false (with the error) when too deep.
    bool setDepth(Expression::Node& node);

    ExpressionScanner m_scan;
    int m_nesting = 0; // parser recursion, bounded like the tree depth
};

} // namespace querydeck
