#include "backend/promrules/PrometheusRuleExporter.h"

#include "backend/metrics/PromDuration.h"
#include "backend/metrics/PromQlWriter.h"

#include <QRegularExpression>
#include <QSaveFile>
#include <cmath>
#include <map>

namespace querydeck::PrometheusRuleExporter {

namespace {

// Characters YAML would not keep as they are inside a single-quoted scalar:
// line breaks fold, and C0/C1 controls, DEL, BOM and the unicode line
// separators are not printable there.
bool needsDoubleQuotes(const QString& text)
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == 0x7f || (u >= 0x80 && u <= 0x9f) || u == 0x2028 || u == 0x2029 ||
            u == 0xfeff)
            return true;
    }
    return false;
}

// YAML's double-quoted escapes for what PromQL strings escape are the same.
QString doubleQuoted(const QString& text)
{
    return PromQlWriter::quote(text);
}

void line(QString& out, int indent, const QString& key, const QString& value)
{
    out += QString(indent, u' ') + key + QStringLiteral(": ") + value + u'\n';
}

void writeRule(QString& out, const AlertRule& rule, const QString& expr)
{
    out += QStringLiteral("      - alert: ") + yamlScalar(rule.name) + u'\n';
    line(out, 8, QStringLiteral("expr"), yamlScalar(expr));
    line(out, 8, QStringLiteral("for"), PromDuration::format(rule.forMs));
    if (rule.keepFiringForMs > 0) // absent means 0s; older servers refuse the key
        line(out, 8, QStringLiteral("keep_firing_for"), PromDuration::format(rule.keepFiringForMs));
    out += QStringLiteral("        labels:\n");
    line(out, 10, QStringLiteral("severity"), severityName(rule.severity));
    for (auto it = rule.labels.cbegin(); it != rule.labels.cend(); ++it)
        line(out, 10, it.key(), yamlScalar(goTemplate(it.value(), rule.threshold)));
    std::map<QString, QString> annotations;
    if (!rule.summary.isEmpty())
        annotations[QStringLiteral("summary")] = goTemplate(rule.summary, rule.threshold);
    if (!rule.description.isEmpty())
        annotations[QStringLiteral("description")] = goTemplate(rule.description, rule.threshold);
    annotations[QStringLiteral("querydeck_no_data")] = noDataName(rule.noData);
    if (!rule.unit.isEmpty())
        annotations[QStringLiteral("querydeck_unit")] = goTemplate(rule.unit, rule.threshold);
    if (!rule.route.isEmpty())
        annotations[QStringLiteral("querydeck_route")] = goTemplate(rule.route, rule.threshold);
    out += QStringLiteral("        annotations:\n");
    for (const auto& [key, value] : annotations)
        line(out, 10, key, yamlScalar(value));
}

} // namespace

QString yamlScalar(const QString& text)
{
    // Plain only for words that no YAML 1.1 or 1.2 reader takes for a
    // boolean, null or number.
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z_][A-Za-z0-9_./-]*$"));
    static const QRegularExpression special(
        QStringLiteral("^(y|n|yes|no|on|off|true|false|null|nan|inf)$"),
        QRegularExpression::CaseInsensitiveOption);
    if (plain.match(text).hasMatch() && !special.match(text).hasMatch())
        return text;
    if (needsDoubleQuotes(text))
        return doubleQuoted(text);
    return u'\'' + QString(text).replace(u'\'', QLatin1String("''")) + u'\'';
}

QString goTemplate(const QString& text, double threshold)
{
    static const QRegularExpression placeholder(
        QStringLiteral(R"(\{\{\s*(value|threshold|labels\.([A-Za-z_][A-Za-z0-9_]*))\s*\}\})"));
    QString out;
    qsizetype last = 0;
    // Text outside our placeholders is literal: a "{{" in it would start a Go
    // template action, so it is written as the action printing "{{".
    const auto literal = [&](qsizetype from, qsizetype to) {
        out +=
            text.mid(from, to - from).replace(QLatin1String("{{"), QLatin1String("{{ \"{{\" }}"));
    };
    auto it = placeholder.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        literal(last, match.capturedStart());
        const QString what = match.captured(1);
        if (what == QLatin1String("value"))
            out += QLatin1String("{{ $value }}");
        else if (what == QLatin1String("threshold"))
            out += QStringLiteral("{{ %1 }}").arg(PromQlWriter::number(threshold));
        else
            out += QStringLiteral("{{ $labels.%1 }}").arg(match.captured(2));
        last = match.capturedEnd();
    }
    literal(last, text.size());
    return out;
}

QString alertExpression(const AlertRule& rule, QString* error)
{
    const PromQlWriter::Result promql = PromQlWriter::write(Expression::parse(rule.expression));
    if (!promql.error.isEmpty()) {
        *error = promql.error;
        return {};
    }
    if (!std::isfinite(rule.threshold)) {
        *error = QStringLiteral("threshold is not a finite number");
        return {};
    }
    return QStringLiteral("(%1) %2 %3")
        .arg(promql.text, comparatorSymbol(rule.comparator), PromQlWriter::number(rule.threshold));
}

Result exportRules(const std::vector<AlertRule>& rules)
{
    Result result;
    std::map<qint64, QString> groups; // interval -> rules text, shortest first
    for (const AlertRule& rule : rules) {
        if (!rule.enabled) {
            result.refused << QStringLiteral("rule \"%1\": disabled, not exported").arg(rule.name);
            continue;
        }
        const QStringList problems = rule.validate();
        if (!problems.isEmpty()) {
            result.refused << QStringLiteral("rule \"%1\": %2").arg(rule.name, problems.first());
            continue;
        }
        QString error;
        const QString expr = alertExpression(rule, &error);
        if (expr.isEmpty()) {
            result.refused << QStringLiteral("rule \"%1\": expression cannot be written as "
                                             "PromQL: %2")
                                  .arg(rule.name, error);
            continue;
        }
        writeRule(groups[rule.intervalMs], rule, expr);
        ++result.exported;
    }
    QString out = QStringLiteral(
        "# Prometheus alerting rules written by QueryDeck (querydeck export-rules).\n"
        "# One group per evaluation interval: Prometheus evaluates a group at one interval.\n"
        "groups:\n");
    if (groups.empty())
        out = out.trimmed() + QStringLiteral(" []\n");
    for (const auto& [interval, text] : groups) {
        const QString duration = PromDuration::format(interval);
        out += QStringLiteral("  - name: querydeck-every-%1\n").arg(duration);
        out += QStringLiteral("    interval: %1\n    rules:\n").arg(duration);
        out += text;
    }
    result.yaml = out.toUtf8();
    return result;
}

Result exportToFile(const std::vector<AlertRule>& rules, const QString& path)
{
    Result result = exportRules(rules);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(result.yaml) < 0 || !file.commit())
        result.writeError = QStringLiteral("%1: %2").arg(path, file.errorString());
    return result;
}

} // namespace querydeck::PrometheusRuleExporter
