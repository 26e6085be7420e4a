#pragma once

#include "backend/alerting/AlertRule.h"

#include <QByteArray>
#include <QStringList>
#include <optional>
#include <vector>

namespace querydeck {

// Reads a Prometheus rules file (the format PrometheusRuleExporter writes and
// `promtool check rules` accepts) back into QueryDeck rules. An alerting rule
// is imported when its expr has the shape "<expression> <op> <number>" (or
// "<number> <op> <expression>") with op one of > >= < <= and an expression
// that Expression::parse accepts; every other rule (recording rules, set
// operators, bool, ==, unsupported functions or modifiers, bad durations or
// labels) is skipped with a message naming its line and why. Annotations are
// translated back from Go templates ({{ $value }} -> {{value}}, ...). A file
// that is not a rules file at all (bad YAML, no groups) imports nothing.
// Pure functions, thread-safe.
namespace PrometheusRuleImporter {

struct Result
{
    std::vector<AlertRule> rules;
    QStringList errors;  // the file itself is unusable; `rules` is empty
    QStringList skipped; // "line 12: rule \"X\": why", one per rule not imported
    QStringList notes;   // imported, but something had no place in a QueryDeck rule
};

struct Condition
{
    QString expression;
    AlertComparator comparator = AlertComparator::Greater;
    double threshold = 0.0;
};

Result importRules(const QByteArray& yaml);
Result importFile(const QString& path);
// Splits a PromQL alert expression; nothing (with *error) when it does not
// have the shape QueryDeck understands.
std::optional<Condition> splitCondition(const QString& expr, QString* error);
// The inverse of PrometheusRuleExporter::goTemplate; *note names what could
// not be translated (kept as text).
QString fromGoTemplate(const QString& text, double threshold, QString* note);

} // namespace PrometheusRuleImporter

} // namespace querydeck
