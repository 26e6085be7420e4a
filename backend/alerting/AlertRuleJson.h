#pragma once

#include "backend/alerting/AlertRule.h"
#include "backend/common/LoadResult.h"

#include <QByteArray>
#include <QStringList>
#include <vector>

namespace querydeck {

// The rule set as QueryDeck stores it: a JSON document
//   {"rules": [{"name": "...", "expr": "...", "op": ">", "threshold": 10,
//               "for": "5m", "keep_firing_for": "0s", "severity": "warning",
//               "labels": {}, "summary": "...", "description": "...",
//               "no_data": "nodata", "interval": "15s", "route": "",
//               "unit": "percent", "enabled": true}]}
// Loading checks every field and every rule (AlertRule::validate) and names
// each problem by its path ("rules[3].threshold: ..."); a document with any
// error loads nothing, so a bad edit never half-replaces a working set.
namespace AlertRuleJson {

// Errors non-empty: the rules (value) are empty. Warnings: unknown keys.
using LoadResult = querydeck::LoadResult<std::vector<AlertRule>>;

constexpr qsizetype kMaxDocumentBytes = 4 * 1024 * 1024;
constexpr int kMaxRules = 1000;

LoadResult parse(const QByteArray& json);
QByteArray serialize(const std::vector<AlertRule>& rules);
LoadResult loadFile(const QString& path);
// Written atomically (QSaveFile); false with *error on failure.
bool saveFile(const QString& path, const std::vector<AlertRule>& rules, QString* error);
// The bundled defaults from the scaling plans (:/alerts/default-rules.json).
std::vector<AlertRule> defaults();
// Where the console keeps its rule set when console.alerts.rules_file is not
// set: alert-rules.json in the app config dir (`export-rules` reads it too).
QString defaultConsoleFile();

} // namespace AlertRuleJson

} // namespace querydeck
