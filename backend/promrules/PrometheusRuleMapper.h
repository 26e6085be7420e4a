#pragma once

#include "backend/alerting/AlertRule.h"
#include "backend/promrules/YamlReader.h"

#include <QStringList>

namespace querydeck {

// The YAML-to-rule half of PrometheusRuleImporter: maps one parsed alerting
// rule (alert, expr, for, keep_firing_for, labels, annotations) onto an
// AlertRule, splitting expr into expression, comparator and threshold and
// translating Go templates back. The importer walks the groups and keeps the
// file-level checks (group names, intervals, duplicate rule names).
// Pure functions, thread-safe.
namespace PrometheusRuleMapper {

// False with *why when the rule cannot be imported; *notes gains what was
// imported but has no place in a QueryDeck rule. intervalMs is the group's.
bool toAlertRule(const YamlNode& node, qint64 intervalMs, AlertRule* rule, QString* why,
                 QStringList* notes);

} // namespace PrometheusRuleMapper

} // namespace querydeck
