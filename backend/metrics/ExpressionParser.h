#pragma once

#include "backend/metrics/ExpressionNode.h"

#include <QString>
#include <memory>

namespace querydeck {

// Recursive-descent parser for the Expression language (see Expression.h).
// Errors read "at <offset>: <what was expected>", the offset counted in
// characters from 0. One instance parses one text; not shared.
class ExpressionParser
{
public:
    explicit ExpressionParser(const QString& text)
        : m_text(text)
    {
    }

    // The tree, or nullptr with error() set.
    std::shared_ptr<const Expression::Node> parse();
    QString error() const { return m_error; }

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
    bool parseDuration(qint64& ms);
    bool parseString(QString& out);
    QString identifier();
    bool expect(QChar c, const QString& what);

    void skipSpaces();
    QChar peek(int ahead = 0) const;
    bool atEnd() const { return m_pos >= m_text.size(); }
    NodePtr fail(const QString& what) { return failAt(m_pos, what); }
    NodePtr failAt(qsizetype position, const QString& what);
    QString describeHere() const;
    // Sets node's depth from its children; false (with the error) when too deep.
    bool setDepth(Expression::Node& node);

    const QString& m_text;
    qsizetype m_pos = 0;
    int m_nesting = 0; // parser recursion, bounded like the tree depth
    QString m_error;
};

} // namespace querydeck
