#include "backend/promrules/PrometheusRuleMapper.h"

#include "backend/metrics/PromDuration.h"
#include "backend/promrules/PrometheusRuleImporter.h"

#include <QSet>

namespace querydeck::PrometheusRuleMapper {

namespace {

bool fail(QString* error, const QString& message)
{
    *error = message;
    return false;
}

QString scalarText(const YamlNode* node)
{
    return node && node->isScalar() ? node->scalar : QString();
}

} // namespace

bool toAlertRule(const YamlNode& node, qint64 intervalMs, AlertRule* rule, QString* why,
                 QStringList* notes)
{
    static const QSet<QString> known{QStringLiteral("alert"),  QStringLiteral("expr"),
                                     QStringLiteral("for"),    QStringLiteral("keep_firing_for"),
                                     QStringLiteral("labels"), QStringLiteral("annotations")};
    if (node.kind != YamlNode::Kind::Mapping)
        return fail(why, QStringLiteral("expected a mapping with alert and expr"));
    if (node.value(QStringLiteral("record")))
        return fail(why, QStringLiteral("recording rule \"%1\": only alerting rules are imported")
                             .arg(scalarText(node.value(QStringLiteral("record")))));
    for (const auto& [key, value] : node.mapping) {
        if (!known.contains(key))
            return fail(why, QStringLiteral("unknown field \"%1\"").arg(key));
        if ((key == u"labels" || key == u"annotations")) {
            if (value.kind != YamlNode::Kind::Mapping && value.kind != YamlNode::Kind::Null)
                return fail(why, QStringLiteral("%1: expected a mapping").arg(key));
        } else if (!value.isScalar()) {
            return fail(why, QStringLiteral("%1: expected a single value").arg(key));
        }
    }
    rule->name = scalarText(node.value(QStringLiteral("alert")));
    if (rule->name.isEmpty())
        return fail(why, QStringLiteral("no alert name"));
    const QString expr = scalarText(node.value(QStringLiteral("expr")));
    if (expr.trimmed().isEmpty())
        return fail(why, QStringLiteral("no expr"));
    QString error;
    const auto condition = PrometheusRuleImporter::splitCondition(expr, &error);
    if (!condition)
        return fail(why, QStringLiteral("expr: %1").arg(error));
    rule->expression = condition->expression;
    rule->comparator = condition->comparator;
    rule->threshold = condition->threshold;
    rule->intervalMs = intervalMs;
    for (const auto& [key, out] :
         {std::pair{QStringLiteral("for"), &rule->forMs},
          std::pair{QStringLiteral("keep_firing_for"), &rule->keepFiringForMs}}) {
        if (const YamlNode* value = node.value(key)) {
            const auto ms = PromDuration::parse(value->scalar, &error);
            if (!ms)
                return fail(why, QStringLiteral("%1: %2").arg(key, error));
            *out = *ms;
        } else {
            *out = 0;
        }
    }
    rule->noData = NoDataBehaviour::Ok; // Prometheus: no series, no alert
    QString note;
    const auto translate = [&](const QString& field, const QString& text) {
        QString problem;
        const QString out = PrometheusRuleImporter::fromGoTemplate(text, rule->threshold, &problem);
        if (!problem.isEmpty())
            *notes << QStringLiteral("%1: %2").arg(field, problem);
        return out;
    };
    if (const YamlNode* labels = node.value(QStringLiteral("labels"))) {
        for (const auto& [key, value] : labels->mapping) {
            if (!value.isScalar())
                return fail(why, QStringLiteral("labels.%1: expected a string").arg(key));
            if (key == u"severity") {
                if (!parseSeverity(value.scalar, &rule->severity))
                    return fail(why, QStringLiteral("labels.severity: \"%1\" is not critical, "
                                                    "warning or info")
                                         .arg(value.scalar));
                continue;
            }
            rule->labels.insert(key, translate(QStringLiteral("labels.") + key, value.scalar));
        }
    }
    if (const YamlNode* annotations = node.value(QStringLiteral("annotations"))) {
        for (const auto& [key, value] : annotations->mapping) {
            if (!value.isScalar())
                return fail(why, QStringLiteral("annotations.%1: expected a string").arg(key));
            const QString text = translate(QStringLiteral("annotations.") + key, value.scalar);
            if (key == u"summary")
                rule->summary = text;
            else if (key == u"description")
                rule->description = text;
            else if (key == u"querydeck_unit")
                rule->unit = text;
            else if (key == u"querydeck_route")
                rule->route = text;
            else if (key == u"querydeck_no_data") {
                if (!parseNoData(text, &rule->noData))
                    return fail(why, QStringLiteral("annotations.querydeck_no_data: \"%1\" is not "
                                                    "ok, alerting or nodata")
                                         .arg(text));
            } else
                *notes << QStringLiteral("annotations.%1: a QueryDeck rule has no place for it; "
                                         "dropped")
                              .arg(key);
        }
    }
    const QStringList problems = rule->validate();
    if (!problems.isEmpty())
        return fail(why, problems.join(QStringLiteral("; ")));
    return true;
}

} // namespace querydeck::PrometheusRuleMapper
