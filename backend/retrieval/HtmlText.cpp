#include "backend/retrieval/HtmlText.h"

#include <QHash>
#include <QStringView>

namespace querydeck {

namespace {

enum class Break
{
    None,
    Line,
    Paragraph
};

Break breakForTag(QStringView name)
{
    static const QHash<QString, Break> kBlocks = [] {
        QHash<QString, Break> blocks;
        for (const char* tag : {"br", "li", "tr", "dt", "dd", "option", "figcaption", "caption"})
            blocks.insert(QString::fromLatin1(tag), Break::Line);
        for (const char* tag :
             {"p",       "div",     "h1",         "h2",      "h3",     "h4",     "h5",
              "h6",      "ul",      "ol",         "dl",      "pre",    "table",  "thead",
              "tbody",   "tfoot",   "section",    "article", "header", "footer", "nav",
              "aside",   "main",    "blockquote", "hr",      "title",  "form",   "figure",
              "address", "details", "summary",    "body",    "html",   "head"})
            blocks.insert(QString::fromLatin1(tag), Break::Paragraph);
        return blocks;
    }();
    return kBlocks.value(name.toString(), Break::None);
}

QString decodeEntity(QStringView name)
{
    if (name.startsWith(u'#')) {
        bool ok = false;
        uint code = 0;
        if (name.size() > 1 && (name[1] == u'x' || name[1] == u'X'))
            code = name.mid(2).toUInt(&ok, 16);
        else
            code = name.mid(1).toUInt(&ok, 10);
        if (!ok)
            return {};
        // NUL, surrogates and values beyond Unicode are invalid references.
        if (code == 0 || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
            return QString(QChar(QChar::ReplacementCharacter));
        const char32_t c = code;
        return QString::fromUcs4(&c, 1);
    }
    static const QHash<QString, QString> kNamed = {
        {QStringLiteral("amp"), QStringLiteral("&")},
        {QStringLiteral("lt"), QStringLiteral("<")},
        {QStringLiteral("gt"), QStringLiteral(">")},
        {QStringLiteral("quot"), QStringLiteral("\"")},
        {QStringLiteral("apos"), QStringLiteral("'")},
        {QStringLiteral("nbsp"), QStringLiteral(" ")},
        {QStringLiteral("ndash"), QStringLiteral("\u2013")},
        {QStringLiteral("mdash"), QStringLiteral("\u2014")},
        {QStringLiteral("hellip"), QStringLiteral("\u2026")},
        {QStringLiteral("copy"), QStringLiteral("\u00A9")},
        {QStringLiteral("rsquo"), QStringLiteral("\u2019")},
        {QStringLiteral("lsquo"), QStringLiteral("\u2018")},
        {QStringLiteral("rdquo"), QStringLiteral("\u201D")},
        {QStringLiteral("ldquo"), QStringLiteral("\u201C")},
    };
    return kNamed.value(name.toString());
}

// Collects text with HTML whitespace rules: runs collapse to one space, and
// requested breaks win over spaces around them.
class Output
{
public:
    void text(QChar c)
    {
        if (c.isSpace()) {
            m_pendingSpace = true;
            return;
        }
        flush();
        m_out.append(c);
    }
    void literal(const QString& s)
    {
        for (QChar c : s) {
            if (c == u'\u00A0')
                c = u' ';
            text(c);
        }
    }
    void requestBreak(Break b)
    {
        if (b == Break::None)
            return;
        m_pendingSpace = false;
        if (m_out.isEmpty())
            return;
        m_pendingBreak = std::max(m_pendingBreak, b == Break::Paragraph ? 2 : 1);
    }
    QString finish() { return m_out; }

private:
    void flush()
    {
        if (m_pendingBreak > 0) {
            m_out.append(m_pendingBreak == 2 ? QStringLiteral("\n\n") : QStringLiteral("\n"));
        } else if (m_pendingSpace && !m_out.isEmpty()) {
            m_out.append(u' ');
        }
        m_pendingBreak = 0;
        m_pendingSpace = false;
    }

    QString m_out;
    bool m_pendingSpace = false;
    int m_pendingBreak = 0;
};

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'-' || c == u':' || c == u'_';
}

// Index just past the '>' closing a tag that starts at `from`, honouring quoted
// attribute values; the end of input if the tag never closes.
qsizetype endOfTag(const QString& html, qsizetype from)
{
    QChar quote;
    for (qsizetype i = from; i < html.size(); ++i) {
        const QChar c = html[i];
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'"' || c == u'\'') {
            quote = c;
        } else if (c == u'>') {
            return i + 1;
        }
    }
    return html.size();
}

} // namespace

QString HtmlText::toPlainText(const QString& html)
{
    Output out;
    const qsizetype n = html.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = html[i];
        if (c == u'&') {
            // Entities are short: look for the ';' within 12 characters only, so
            // a text full of bare '&' stays linear instead of rescanning the rest.
            const qsizetype found = QStringView(html).mid(i + 1, 12).indexOf(u';');
            const qsizetype semi = found < 0 ? -1 : i + 1 + found;
            if (semi > i + 1 && semi - i <= 12) {
                const QString decoded = decodeEntity(QStringView(html).mid(i + 1, semi - i - 1));
                if (!decoded.isEmpty()) {
                    out.literal(decoded);
                    i = semi + 1;
                    continue;
                }
            }
            out.text(c);
            ++i;
            continue;
        }
        if (c != u'<' || i + 1 >= n) {
            out.text(c);
            ++i;
            continue;
        }
        if (QStringView(html).mid(i, 4) == u"<!--") {
            const qsizetype end = html.indexOf(QStringLiteral("-->"), i + 4);
            i = end < 0 ? n : end + 3;
            continue;
        }
        const QChar next = html[i + 1];
        if (next == u'!' || next == u'?') { // doctype, processing instruction
            i = endOfTag(html, i + 1);
            continue;
        }
        const bool closing = next == u'/';
        qsizetype nameStart = i + (closing ? 2 : 1);
        if (nameStart >= n || !html[nameStart].isLetter()) {
            out.text(c); // a bare '<' as in "a < b"
            ++i;
            continue;
        }
        qsizetype nameEnd = nameStart;
        while (nameEnd < n && isNameChar(html[nameEnd]))
            ++nameEnd;
        const QString name = html.mid(nameStart, nameEnd - nameStart).toLower();
        i = endOfTag(html, nameEnd);
        if (!closing && (name == u"script" || name == u"style")) {
            const qsizetype close =
                html.indexOf(QStringLiteral("</") + name, i, Qt::CaseInsensitive);
            i = close < 0 ? n : endOfTag(html, close + 2);
            out.text(u' ');
            continue;
        }
        if (name == u"td" || name == u"th")
            out.text(u' '); // adjacent cells must not glue their words together
        else
            out.requestBreak(breakForTag(name));
    }
    return out.finish();
}

} // namespace querydeck
