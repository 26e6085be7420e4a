#include "backend/promrules/YamlScalars.h"

namespace querydeck::YamlScalars {

namespace {

[[noreturn]] void failAt(int line, qsizetype column, const QString& message)
{
    throw YamlError{line + 1, int(column) + 1, message};
}

// One escape of a double-quoted scalar; returns the index after it.
qsizetype escape(int line, const QString& text, qsizetype i, QString& out)
{
    const QChar c = text[i];
    int hexDigits = 0;
    switch (c.unicode()) {
    case '0':
        out += QChar(0);
        return i + 1;
    case 'a':
        out += u'\a';
        return i + 1;
    case 'b':
        out += u'\b';
        return i + 1;
    case 't':
    case '\t':
        out += u'\t';
        return i + 1;
    case 'n':
        out += u'\n';
        return i + 1;
    case 'v':
        out += u'\v';
        return i + 1;
    case 'f':
        out += u'\f';
        return i + 1;
    case 'r':
        out += u'\r';
        return i + 1;
    case 'e':
        out += QChar(0x1b);
        return i + 1;
    case ' ':
    case '"':
    case '/':
    case '\\':
        out += c;
        return i + 1;
    case 'N':
        out += QChar(0x85);
        return i + 1;
    case '_':
        out += QChar(0xa0);
        return i + 1;
    case 'L':
        out += QChar(0x2028);
        return i + 1;
    case 'P':
        out += QChar(0x2029);
        return i + 1;
    case 'x':
        hexDigits = 2;
        break;
    case 'u':
        hexDigits = 4;
        break;
    case 'U':
        hexDigits = 8;
        break;
    default:
        failAt(line, i - 1, QStringLiteral("unknown escape \"\\%1\"").arg(c));
    }
    bool ok = false;
    const uint code = text.mid(i + 1, hexDigits).toUInt(&ok, 16);
    if (!ok || i + 1 + hexDigits > text.size() || code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff))
        failAt(line, i - 1, QStringLiteral("bad \"\\%1\" escape").arg(c));
    out += QString::fromUcs4(reinterpret_cast<const char32_t*>(&code), 1);
    return i + 1 + hexDigits;
}

} // namespace

// A quoted scalar starting at (line, column); on return (line, column)
// is just past the closing quote.
QString quoted(const QStringList& lines, int& line, qsizetype& column, QChar quote)
{
    const int startLine = line;
    const qsizetype startColumn = column;
    QString out;
    qsizetype i = column + 1;
    while (true) {
        const QString& text = lines[line];
        while (i < text.size()) {
            const QChar c = text[i];
            if (c == quote) {
                if (quote == u'\'' && i + 1 < text.size() && text[i + 1] == u'\'') {
                    out += u'\'';
                    i += 2;
                    continue;
                }
                column = i + 1;
                return out;
            }
            if (quote == u'"' && c == u'\\') {
                if (i + 1 == text.size()) { // escaped line break: no space
                    i = text.size() + 1;
                    break;
                }
                i = escape(line, text, i + 1, out);
                continue;
            }
            out += c;
            ++i;
        }
        // Fold the line break: trailing spaces go, one break is a space,
        // each blank line a newline.
        const bool escapedBreak = i > text.size();
        if (!escapedBreak) {
            while (out.endsWith(u' ') || out.endsWith(u'\t'))
                out.chop(1);
        }
        int blank = 0;
        ++line;
        while (line < lines.size() && lines[line].trimmed().isEmpty()) {
            ++blank;
            ++line;
        }
        if (line >= lines.size())
            failAt(startLine, startColumn,
                   QStringLiteral("unterminated %1-quoted value")
                       .arg(quote == u'"' ? QStringLiteral("double") : QStringLiteral("single")));
        if (!escapedBreak)
            out += blank == 0 ? QString(u' ') : QString(blank, u'\n');
        const QString& next = lines[line];
        i = 0;
        while (i < next.size() && (next[i] == u' ' || next[i] == u'\t'))
            ++i;
    }
}

QString block(QStringList lines, bool folded, QChar chomp)
{
    int trailing = 0;
    while (!lines.isEmpty() && lines.last().isEmpty()) {
        lines.removeLast();
        ++trailing;
    }
    QString out;
    if (!folded) {
        out = lines.join(u'\n');
    } else {
        bool previousMore = false;
        int pending = 0;
        bool started = false;
        for (const QString& text : lines) {
            if (text.isEmpty()) {
                ++pending;
                continue;
            }
            const bool more = text.startsWith(u' ') || text.startsWith(u'\t');
            if (started)
                out += pending == 0 ? ((previousMore || more) ? QString(u'\n') : QString(u' '))
                                    : QString(pending + ((previousMore || more) ? 1 : 0), u'\n');
            else
                out += QString(pending, u'\n');
            out += text;
            pending = 0;
            started = true;
            previousMore = more;
        }
    }
    if (chomp == u'+')
        out += QString(lines.isEmpty() ? trailing : trailing + 1, u'\n');
    else if (chomp.isNull() && !lines.isEmpty())
        out += u'\n';
    return out;
}

} // namespace querydeck::YamlScalars
