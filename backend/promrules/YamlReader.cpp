#include "backend/promrules/YamlReader.h"

#include "backend/promrules/YamlScalars.h"

#include <QStringDecoder>
#include <QStringList>

namespace querydeck {

YamlNode::YamlNode() = default;
YamlNode::~YamlNode() = default;
YamlNode::YamlNode(const YamlNode&) = default;
YamlNode::YamlNode(YamlNode&&) noexcept = default;
YamlNode& YamlNode::operator=(const YamlNode&) = default;
YamlNode& YamlNode::operator=(YamlNode&&) noexcept = default;

const YamlNode* YamlNode::value(const QString& key) const
{
    for (const auto& [name, node] : mapping) {
        if (name == key)
            return &node;
    }
    return nullptr;
}

namespace {

using YamlScalars::YamlError;

class Reader
{
public:
    explicit Reader(QStringList lines)
        : m_lines(std::move(lines))
    {
    }

    YamlNode document()
    {
        skipBlank();
        if (!atEnd() && m_lines[m_index].startsWith(QLatin1String("%")))
            fail(0, QStringLiteral("directives (%YAML, %TAG) are not supported"));
        if (!atEnd() && isMarker(QLatin1String("---"))) {
            const QString rest = m_lines[m_index].mid(3).trimmed();
            if (!rest.isEmpty() && !rest.startsWith(u'#'))
                fail(3, QStringLiteral("content after \"---\" is not supported"));
            ++m_index;
        }
        YamlNode root = blockNode(0, 0);
        skipBlank();
        if (!atEnd() && isMarker(QLatin1String("..."))) {
            ++m_index;
            skipBlank();
        }
        if (!atEnd()) {
            if (isMarker(QLatin1String("---")))
                fail(0, QStringLiteral("more than one document"));
            fail(indentOf(m_index), QStringLiteral("unexpected content at the end (check the "
                                                   "indentation)"));
        }
        return root;
    }

private:
    QStringList m_lines;
    int m_index = 0;

    bool atEnd() const { return m_index >= m_lines.size(); }

    [[noreturn]] void fail(qsizetype column, const QString& message) const
    {
        throw YamlError{m_index + 1, int(column) + 1, message};
    }

    bool isDocumentMarker() const
    {
        return isMarker(QLatin1String("---")) || isMarker(QLatin1String("..."));
    }

    bool isMarker(QLatin1String marker) const
    {
        const QString& text = m_lines[m_index];
        return text.startsWith(marker) && (text.size() == 3 || text[3] == u' ');
    }

    int indentOf(int index) const
    {
        const QString& text = m_lines[index];
        int n = 0;
        while (n < text.size() && text[n] == u' ')
            ++n;
        return n;
    }

    // Empty, white space only, or a comment line.
    bool isBlank(int index) const
    {
        const QString& text = m_lines[index];
        qsizetype i = 0;
        while (i < text.size() && (text[i] == u' ' || text[i] == u'\t'))
            ++i;
        return i == text.size() || text[i] == u'#';
    }

    void skipBlank()
    {
        while (!atEnd() && isBlank(m_index))
            ++m_index;
    }

    static bool isSequenceItem(QStringView content)
    {
        return content.startsWith(u'-') && (content.size() == 1 || content[1] == u' ');
    }

    // A comment starts at '#' preceded by a space (or at the start).
    static qsizetype commentStart(QStringView text, qsizetype from)
    {
        for (qsizetype i = from; i < text.size(); ++i) {
            if (text[i] == u'#' && (i == 0 || text[i - 1] == u' ' || text[i - 1] == u'\t'))
                return i;
        }
        return -1;
    }

    // "key: value" on this line: the key and where its value starts, or -1.
    qsizetype mappingKey(int index, int column, QString* key) const
    {
        const QString& text = m_lines[index];
        const QChar first = column < text.size() ? text[column] : QChar();
        if (first == u'"' || first == u'\'') {
            int line = index;
            qsizetype end = column;
            *key = quoted(line, end, first);
            if (line != index)
                return -1;
            while (end < text.size() && text[end] == u' ')
                ++end;
            if (end < text.size() && text[end] == u':' &&
                (end + 1 == text.size() || text[end + 1] == u' '))
                return end + 1;
            return -1;
        }
        const qsizetype comment = commentStart(text, column);
        const qsizetype limit = comment < 0 ? text.size() : comment;
        for (qsizetype i = column; i < limit; ++i) {
            if (text[i] == u':' && (i + 1 == text.size() || text[i + 1] == u' ')) {
                *key = text.mid(column, i - column).trimmed();
                return i + 1;
            }
        }
        return -1;
    }

    // Tabs may appear inside values (block scalars, quoted text) but never
    // where YAML reads indentation.
    void checkTab() const
    {
        const int indent = indentOf(m_index);
        if (m_lines[m_index][indent] == u'\t')
            fail(indent, QStringLiteral("tab in indentation; YAML indents with spaces"));
    }

    void checkDepth(int depth) const
    {
        if (depth > YamlReader::kMaxDepth)
            fail(indentOf(m_index),
                 QStringLiteral("nested deeper than %1 levels").arg(YamlReader::kMaxDepth));
    }

    // The node whose lines are indented at least minIndent.
    YamlNode blockNode(int minIndent, int depth)
    {
        checkDepth(depth);
        skipBlank();
        YamlNode node;
        if (atEnd() || indentOf(m_index) < minIndent)
            return node;
        const int indent = indentOf(m_index);
        checkTab();
        const QStringView content = QStringView(m_lines[m_index]).mid(indent);
        if (isSequenceItem(content))
            return sequence(indent, depth);
        QString key;
        if (mappingKey(m_index, indent, &key) >= 0)
            return mapping(indent, depth);
        return inlineValue(indent, minIndent - 1, depth);
    }

    // Moves to the next line that holds content; true while it is an entry
    // of the block at `indent`. A deeper line is an error naming `entries`.
    bool nextEntry(int indent, const QString& entries)
    {
        skipBlank();
        if (atEnd() || isDocumentMarker())
            return false;
        checkTab();
        const int at = indentOf(m_index);
        if (at > indent)
            fail(at, QStringLiteral("unexpected indentation (%1 at column %2)")
                         .arg(entries)
                         .arg(indent + 1));
        return at == indent;
    }

    YamlNode mapping(int indent, int depth)
    {
        YamlNode node;
        node.kind = YamlNode::Kind::Mapping;
        node.line = m_index + 1;
        node.column = indent + 1;
        while (nextEntry(indent, QStringLiteral("the mapping's keys are"))) {
            const QString& text = m_lines[m_index];
            if (isSequenceItem(QStringView(text).mid(indent)))
                fail(indent, QStringLiteral("a sequence item where a mapping key was expected"));
            QString key;
            const qsizetype valueStart = mappingKey(m_index, indent, &key);
            if (valueStart < 0)
                fail(indent, QStringLiteral("expected \"key: value\""));
            for (const auto& [existing, value] : node.mapping) {
                if (existing == key)
                    fail(indent, QStringLiteral("duplicate key \"%1\" (first at line %2)")
                                     .arg(key)
                                     .arg(value.line));
            }
            qsizetype start = valueStart;
            while (start < text.size() && text[start] == u' ')
                ++start;
            YamlNode value;
            if (start == text.size() || text[start] == u'#') {
                const int keyLine = m_index;
                ++m_index;
                skipBlank();
                // A sequence may sit at the key's own indentation.
                if (!atEnd() && indentOf(m_index) == indent &&
                    isSequenceItem(QStringView(m_lines[m_index]).mid(indent)))
                    value = sequence(indent, depth + 1);
                else
                    value = blockNode(indent + 1, depth + 1);
                if (value.kind == YamlNode::Kind::Null) {
                    value.line = keyLine + 1;
                    value.column = int(valueStart) + 1;
                }
            } else {
                value = inlineValue(start, indent, depth + 1);
            }
            node.mapping.emplace_back(key, std::move(value));
        }
        return node;
    }

    YamlNode sequence(int indent, int depth)
    {
        YamlNode node;
        node.kind = YamlNode::Kind::Sequence;
        node.line = m_index + 1;
        node.column = indent + 1;
        while (nextEntry(indent, QStringLiteral("the sequence's items are"))) {
            QString& text = m_lines[m_index];
            if (!isSequenceItem(QStringView(text).mid(indent)))
                break; // the parent mapping's next key
            qsizetype itemColumn = indent + 1;
            while (itemColumn < text.size() && text[itemColumn] == u' ')
                ++itemColumn;
            checkDepth(depth + 1);
            if (itemColumn == text.size() || text[itemColumn] == u'#') {
                const int itemLine = m_index;
                ++m_index;
                YamlNode item = blockNode(indent + 1, depth + 1);
                if (item.kind == YamlNode::Kind::Null) {
                    item.line = itemLine + 1;
                    item.column = indent + 1;
                }
                node.sequence.push_back(std::move(item));
                continue;
            }
            // "- key: value": the item is a block node indented at the key.
            text.replace(indent, 1, u' ');
            node.sequence.push_back(blockNode(int(itemColumn), depth + 1));
        }
        return node;
    }

    // A value that starts on this line at `column`; its continuation lines
    // must be indented more than parentIndent.
    YamlNode inlineValue(qsizetype column, int parentIndent, int depth)
    {
        checkDepth(depth);
        const QString& text = m_lines[m_index];
        YamlNode node;
        node.kind = YamlNode::Kind::Scalar;
        node.line = m_index + 1;
        node.column = int(column) + 1;
        const QChar first = text[column];
        if (first == u'"' || first == u'\'') {
            int line = m_index;
            qsizetype end = column;
            node.scalar = quoted(line, end, first);
            m_index = line;
            expectLineEnd(end);
            ++m_index;
            return node;
        }
        if (first == u'|' || first == u'>')
            return blockScalar(column, parentIndent, node);
        const qsizetype comment = commentStart(text, column);
        const QString plainText = text.mid(column, (comment < 0 ? text.size() : comment) - column);
        if (first == u'{' || first == u'[') {
            if (plainText.trimmed() == QLatin1String("{}"))
                node.kind = YamlNode::Kind::Mapping;
            else if (plainText.trimmed() == QLatin1String("[]"))
                node.kind = YamlNode::Kind::Sequence;
            else
                fail(column, QStringLiteral("flow collections ({...} or [...]) are not supported; "
                                            "write a block mapping or sequence"));
            ++m_index;
            return node;
        }
        if (first == u'&' || first == u'*' || first == u'!')
            fail(column, QStringLiteral("anchors, aliases and tags are not supported"));
        if (first == u'@' || first == u'`' || first == u'%')
            fail(column, QStringLiteral("'%1' cannot start a plain value; quote it").arg(first));
        if (const qsizetype colon = plainText.indexOf(QLatin1String(": ")); colon >= 0)
            fail(column + colon, QStringLiteral("\": \" inside a plain value; quote the value"));
        QString value = plainText.trimmed();
        ++m_index;
        // Continuation lines fold into one line; blank lines become newlines.
        int newlines = 0;
        while (!atEnd()) {
            const int indent = indentOf(m_index);
            const QString& next = m_lines[m_index];
            if (next.trimmed().isEmpty()) {
                ++newlines;
                ++m_index;
                continue;
            }
            if (indent <= parentIndent || isBlank(m_index) ||
                isSequenceItem(QStringView(next).mid(indent)))
                break;
            const qsizetype nextComment = commentStart(next, indent);
            const QString part =
                next.mid(indent, (nextComment < 0 ? next.size() : nextComment) - indent).trimmed();
            if (part.contains(QLatin1String(": ")) || part.endsWith(u':'))
                fail(indent, QStringLiteral("\": \" inside a plain value; quote the value"));
            value += newlines == 0 ? QString(u' ') : QString(newlines, u'\n');
            value += part;
            newlines = 0;
            ++m_index;
            if (nextComment >= 0)
                break;
        }
        if (value == u'~' || value == QLatin1String("null") || value == QLatin1String("Null") ||
            value == QLatin1String("NULL"))
            node.kind = YamlNode::Kind::Null;
        node.scalar = value;
        return node;
    }

    void expectLineEnd(qsizetype from) const
    {
        const QString& text = m_lines[m_index];
        qsizetype i = from;
        while (i < text.size() && text[i] == u' ')
            ++i;
        if (i < text.size() && text[i] != u'#')
            fail(i, QStringLiteral("unexpected text after the quoted value"));
    }

    QString quoted(int& line, qsizetype& column, QChar quote) const
    {
        return YamlScalars::quoted(m_lines, line, column, quote);
    }

    YamlNode blockScalar(qsizetype column, int parentIndent, YamlNode node)
    {
        const QString& header = m_lines[m_index];
        const bool folded = header[column] == u'>';
        QChar chomp;
        int explicitIndent = 0;
        qsizetype i = column + 1;
        for (; i < header.size() && header[i] != u' '; ++i) {
            const QChar c = header[i];
            if ((c == u'-' || c == u'+') && chomp.isNull())
                chomp = c;
            else if (c >= u'1' && c <= u'9' && explicitIndent == 0)
                explicitIndent = c.unicode() - u'0';
            else
                fail(i, QStringLiteral("bad block scalar header; expected | or > with an "
                                       "optional - or + and indentation digit"));
        }
        expectLineEnd(i);
        ++m_index;
        int blockIndent = explicitIndent > 0 ? parentIndent + explicitIndent : -1;
        QStringList lines;
        while (!atEnd()) {
            const QString& text = m_lines[m_index];
            const int indent = indentOf(m_index);
            if (indent == text.size()) { // blank: part of the block
                lines << QString();
                ++m_index;
                continue;
            }
            if (blockIndent < 0) {
                if (indent <= parentIndent)
                    break;
                blockIndent = indent;
            }
            if (indent < blockIndent)
                break;
            lines << text.mid(blockIndent);
            ++m_index;
        }
        node.scalar = YamlScalars::block(std::move(lines), folded, chomp);
        return node;
    }
};

} // namespace

namespace YamlReader {

Result parse(const QByteArray& text)
{
    Result result;
    if (text.size() > kMaxBytes) {
        result.error = QStringLiteral("larger than %1 MiB").arg(kMaxBytes / (1024 * 1024));
        return result;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString decoded = decoder.decode(text);
    if (decoder.hasError()) {
        result.error = QStringLiteral("not valid UTF-8");
        return result;
    }
    if (decoded.startsWith(QChar(0xfeff)))
        decoded.remove(0, 1);
    QStringList lines = decoded.split(u'\n');
    for (QString& line : lines) {
        if (line.endsWith(u'\r'))
            line.chop(1);
    }
    try {
        Reader reader(std::move(lines));
        result.root = reader.document();
    } catch (const YamlError& error) {
        result.root = YamlNode();
        result.error = QStringLiteral("line %1, column %2: %3")
                           .arg(error.line)
                           .arg(error.column)
                           .arg(error.message);
    }
    return result;
}

} // namespace YamlReader

} // namespace querydeck
