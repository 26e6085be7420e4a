#pragma once

#include "backend/metrics/Expression.h"

#include <QString>

namespace querydeck {

// Writes a parsed Expression as PromQL that a Prometheus server evaluates the
// same way. The dashboards' language is a PromQL subset, but its text is not
// always valid PromQL: strings keep unknown escapes (\d) for regexes, label
// names may contain ':', metric names may be PromQL keywords, regexes are
// PCRE rather than RE2. The writer re-quotes strings, writes keyword metric
// names as {__name__="..."}, and refuses what has no PromQL equivalent.
// Stateless and thread-safe.
namespace PromQlWriter {

struct Result
{
    QString text;  // empty when refused
    QString error; // why it cannot be written as PromQL
};

Result write(const Expression& expression);
// A PromQL (and Go template) number: the shortest text that reads back exactly.
QString number(double value);
// A PromQL double-quoted string literal.
QString quote(const QString& value);

} // namespace PromQlWriter

} // namespace querydeck
