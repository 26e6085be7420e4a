#pragma once

#include <QByteArray>
#include <QString>
#include <utility>
#include <vector>

namespace querydeck {

// One node of a YAML document as YamlReader reads it. Scalars stay text (the
// caller decides what a number or a duration is); positions are 1-based.
struct YamlNode
{
    enum class Kind
    {
        Null,
        Scalar,
        Mapping,
        Sequence
    };

    // Defined in YamlReader.cpp, where YamlNode is complete: with them implicit,
    // clang (libstdc++) instantiates std::pair<QString, YamlNode> for `mapping`
    // while YamlNode is still incomplete and refuses the header.
    YamlNode();
    ~YamlNode();
    YamlNode(const YamlNode&);
    YamlNode(YamlNode&&) noexcept;
    YamlNode& operator=(const YamlNode&);
    YamlNode& operator=(YamlNode&&) noexcept;

    Kind kind = Kind::Null;
    QString scalar;
    std::vector<std::pair<QString, YamlNode>> mapping; // in document order, keys unique
    std::vector<YamlNode> sequence;
    int line = 0;
    int column = 0;

    // The value of `key` in a mapping, or nullptr.
    const YamlNode* value(const QString& key) const;
    bool isScalar() const { return kind == Kind::Scalar; }
    QString position() const { return QStringLiteral("line %1, column %2").arg(line).arg(column); }
};

// A small, strict reader for the YAML that Prometheus rule files use: block
// mappings and sequences, plain / single- / double-quoted scalars (multi-line
// too), literal | and folded > block scalars with chomping indicators,
// comments, an optional leading "---", and the empty flow collections {} and
// []. Anchors, aliases, tags, other flow collections and several documents
// are refused rather than half-read. Input is bounded in size and nesting;
// every error names its line and column. Stateless; thread-safe.
namespace YamlReader {

constexpr qsizetype kMaxBytes = 4 * 1024 * 1024;
constexpr int kMaxDepth = 32;

struct Result
{
    YamlNode root;
    QString error; // "line 3, column 7: ..."; empty on success
};

Result parse(const QByteArray& text);

} // namespace YamlReader

} // namespace querydeck
