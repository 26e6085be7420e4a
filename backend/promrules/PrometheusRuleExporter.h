#pragma once

#include "backend/alerting/AlertRule.h"

#include <QByteArray>
#include <QStringList>
#include <vector>

namespace querydeck {

// Writes a rule set as a Prometheus alerting rules file (the format of
// `rule_files`, checked by `promtool check rules`):
//   groups: one per evaluation interval, since Prometheus evaluates a whole
//           group at one `interval`; grouping by severity would force one
//           interval on rules that asked for different ones.
//   expr:   (<expression as PromQL>) <op> <threshold>
//   labels: severity plus the rule's labels
//   annotations: summary and description as Go templates ({{value}} becomes
//           {{ $value }}, {{labels.x}} {{ $labels.x }}, {{threshold}} the
//           number as {{ 60 }}), plus querydeck_no_data / querydeck_unit /
//           querydeck_route so an import gives back the same rule.
// Disabled rules are left out (Prometheus has no such flag); a rule whose
// expression has no PromQL equivalent is left out with the reason. Pure
// functions, thread-safe.
namespace PrometheusRuleExporter {

struct Result
{
    QByteArray yaml;
    int exported = 0;
    QStringList refused; // "rule \"X\": why", one per rule left out
    QString writeError;  // exportToFile: the path and why it could not be written
};

Result exportRules(const std::vector<AlertRule>& rules);
// exportRules() written to `path`, replaced atomically (a failed write leaves
// the old file); the command line and the console's Alerts menu share it.
Result exportToFile(const std::vector<AlertRule>& rules, const QString& path);
// "(<PromQL>) > 10", or empty with *error.
QString alertExpression(const AlertRule& rule, QString* error);
// A summary/description/label template in Prometheus's Go template syntax.
QString goTemplate(const QString& text, double threshold);
// The YAML scalar for `text`: plain when unambiguous, else single- or
// double-quoted so that any string (quotes, ': ', '#', newlines, leading
// spaces, control characters, unicode) reads back exactly.
QString yamlScalar(const QString& text);

} // namespace PrometheusRuleExporter

} // namespace querydeck
