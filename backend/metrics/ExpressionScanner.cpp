#include "backend/metrics/ExpressionScanner.h"

namespace querydeck {

bool ExpressionScanner::isIdentStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_' || c == u':';
}

bool ExpressionScanner::isIdentChar(QChar c)
{
    return isIdentStart(c) || (c >= u'0' && c <= u'9');
}

void ExpressionScanner::reset()
{
    m_pos = 0;
    m_error.clear();
}

void ExpressionScanner::skipSpaces()
{
    while (m_pos < m_text.size() && m_text[m_pos].isSpace())
        ++m_pos;
}

QChar ExpressionScanner::peek(int ahead) const
{
    const qsizetype at = m_pos + ahead;
    return at < m_text.size() ? m_text[at] : QChar();
}

QString ExpressionScanner::describeHere() const
{
    if (atEnd())
        return QStringLiteral("end of input");
    return QStringLiteral("'%1'").arg(m_text.mid(m_pos, 1));
}

bool ExpressionScanner::failAt(qsizetype position, const QString& what)
{
    if (m_error.isEmpty())
        m_error = QStringLiteral("at %1: %2").arg(position).arg(what);
    return false;
}

bool ExpressionScanner::expect(QChar c, const QString& what)
{
    skipSpaces();
    if (peek() == c) {
        ++m_pos;
        return true;
    }
    return fail(QStringLiteral("expected '%1' %2, found %3").arg(c).arg(what, describeHere()));
}

QString ExpressionScanner::identifier()
{
    const qsizetype start = m_pos;
    if (!isIdentStart(peek()))
        return {};
    while (isIdentChar(peek()))
        ++m_pos;
    return m_text.mid(start, m_pos - start);
}

bool ExpressionScanner::readNumber(double& value)
{
    const qsizetype start = m_pos;
    while (peek().isDigit() || peek() == u'.')
        ++m_pos;
    if (peek() == u'e' || peek() == u'E') {
        ++m_pos;
        if (peek() == u'+' || peek() == u'-')
            ++m_pos;
        while (peek().isDigit())
            ++m_pos;
    }
    bool ok = false;
    value = m_text.mid(start, m_pos - start).toDouble(&ok);
    if (!ok || isIdentStart(peek()))
        return failAt(start, QStringLiteral("invalid number '%1'")
                                 .arg(m_text.mid(start, m_pos - start + (atEnd() ? 0 : 1))));
    return true;
}

bool ExpressionScanner::readString(QString& out)
{
    const QChar quote = peek();
    if (quote != u'"' && quote != u'\'')
        return fail(QStringLiteral("expected a quoted label value, found %1").arg(describeHere()));
    const qsizetype start = m_pos;
    ++m_pos;
    out.clear();
    while (!atEnd() && peek() != quote) {
        QChar c = peek();
        if (c == u'\\') {
            ++m_pos;
            const QChar next = peek();
            if (next == u'n')
                c = u'\n';
            else if (next == u't')
                c = u'\t';
            else if (next == u'\\' || next == u'"' || next == u'\'')
                c = next;
            else {
                // Keep unknown escapes for the regex engine (e.g. \d, \.).
                out += u'\\';
                c = next;
            }
        }
        out += c;
        ++m_pos;
    }
    if (atEnd())
        return failAt(start, QStringLiteral("unterminated string"));
    ++m_pos;
    return true;
}

bool ExpressionScanner::readDuration(qint64& ms)
{
    skipSpaces();
    const qsizetype start = m_pos;
    ms = 0;
    bool any = false;
    while (peek().isDigit()) {
        qint64 amount = 0;
        while (peek().isDigit()) {
            amount = amount * 10 + (peek().unicode() - u'0');
            if (amount > 1'000'000'000)
                return failAt(start, QStringLiteral("duration too large"));
            ++m_pos;
        }
        qint64 unit = 0;
        if (peek() == u'm' && peek(1) == u's') {
            unit = 1;
            m_pos += 2;
        } else {
            switch (peek().unicode()) {
            case 's':
                unit = 1000;
                break;
            case 'm':
                unit = 60'000;
                break;
            case 'h':
                unit = 3'600'000;
                break;
            case 'd':
                unit = 86'400'000;
                break;
            case 'w':
                unit = 7 * 86'400'000LL;
                break;
            case 'y':
                unit = 365 * 86'400'000LL;
                break;
            default:
                return fail(
                    QStringLiteral("expected a duration unit (ms, s, m, h, d, w, y), found %1")
                        .arg(describeHere()));
            }
            ++m_pos;
        }
        // Prometheus keeps durations as int64 nanoseconds, so nothing past
        // about 292 years is a duration there; checked before multiplying, as
        // 400004000y overflowed the milliseconds.
        constexpr qint64 kMaxDurationMs = 292 * 365 * 86'400'000LL;
        if (amount > (kMaxDurationMs - ms) / unit)
            return failAt(start, QStringLiteral("duration too large (at most 292y)"));
        ms += amount * unit;
        any = true;
    }
    if (!any || ms <= 0)
        return failAt(start, QStringLiteral("expected a positive duration such as 5m"));
    return true;
}

} // namespace querydeck
