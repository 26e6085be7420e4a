#pragma once

#include <QString>
#include <QStringList>

namespace querydeck {

// The wording of what a JSON field must hold, the <expectation> in
// "<path>: must be <expectation>, got <value>". JsonFieldReader builds every
// type and range message from here, so one kind of problem reads the same in
// the config, alert rule, fleet and dashboard files.
//
// Thread rules: stateless; safe from any thread.
class FieldExpectation
{
public:
    // "an integer between 1 and 4"; a max at or above INT_MAX is left out.
    static QString integer(qint64 min, qint64 max);
    // "a number between 0 and 1"; infinite bounds are left out ("a number").
    static QString number(double min, double max, bool minExclusive = false);
    // "a [non-empty ]string of at most 4096 characters without control
    // characters[ other than tabs and line breaks]".
    static QString string(int maxLength, bool nonEmpty, bool lineBreaksAllowed);
    // "one of \"a\", \"b\"".
    static QString oneOf(const QStringList& allowed);
};

} // namespace querydeck
