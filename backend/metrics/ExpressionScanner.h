#pragma once

#include <QString>

namespace querydeck {

// The character-level half of the Expression parser: a cursor over one text
// that skips spaces, reads identifiers, quoted label values, numbers and
// durations, and keeps the first error as "at <offset>: <what>" (later
// failures never overwrite it, so the message names the innermost cause).
// ExpressionParser builds the tree on top of it. One instance per text; not
// shared between threads.
class ExpressionScanner
{
public:
    explicit ExpressionScanner(const QString& text)
        : m_text(text)
    {
    }

    static bool isIdentStart(QChar c);
    static bool isIdentChar(QChar c);

    const QString& text() const { return m_text; }
    qsizetype pos() const { return m_pos; }
    void seek(qsizetype position) { m_pos = position; }
    void advance(qsizetype count = 1) { m_pos += count; }
    QChar peek(int ahead = 0) const;
    bool atEnd() const { return m_pos >= m_text.size(); }
    void skipSpaces();
    // "'c'" for the character under the cursor, or "end of input".
    QString describeHere() const;

    // An identifier at the cursor (empty, cursor unmoved, when there is none).
    QString identifier();
    // Skips spaces and consumes c, or fails with "expected 'c' <what>".
    bool expect(QChar c, const QString& what);
    // A number at the cursor (digits, '.', exponent); false with the error set.
    bool readNumber(double& value);
    // A quoted label value with \n \t \\ \" \' escapes; other escapes are
    // kept for the regex engine. False with the error set.
    bool readString(QString& out);
    // A PromQL duration such as 1h30m, in milliseconds; false with the error set.
    bool readDuration(qint64& ms);

    // Records the error (the first one wins); always false, for chaining.
    bool fail(const QString& what) { return failAt(m_pos, what); }
    bool failAt(qsizetype position, const QString& what);
    QString error() const { return m_error; }
    void reset();

private:
    const QString& m_text;
    qsizetype m_pos = 0;
    QString m_error;
};

} // namespace querydeck
