#include "backend/alerting/ThresholdWizardController.h"

#include "backend/alerting/AlertRuleJson.h"
#include "backend/alerting/AlertStateMachine.h"
#include "backend/metrics/Expression.h"
#include "backend/metrics/PromDuration.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QDateTime>
#include <QLocale>
#include <algorithm>
#include <cmath>

namespace querydeck {

namespace {

constexpr qint64 kWarningSpanMs = 24LL * 3600 * 1000;
constexpr int kMaxPreviewSteps = 6000;

QString number(double v)
{
    return QString::number(v, 'g', 6);
}

} // namespace

bool sameRule(const AlertRule& a, const AlertRule& b)
{
    return AlertRuleJson::serialize({a}) == AlertRuleJson::serialize({b});
}

ThresholdWizardController::ThresholdWizardController(std::vector<AlertRule> rules,
                                                     const TimeSeriesStore& store, QObject* parent)
    : QObject(parent)
    , m_rules(std::move(rules))
    , m_store(store)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
}

void ThresholdWizardController::setRulesFile(const QString& path)
{
    m_save = [path](const std::vector<AlertRule>& rules, QString* error) {
        return AlertRuleJson::saveFile(path, rules, error);
    };
    m_load = [path](QString* error) -> std::optional<std::vector<AlertRule>> {
        AlertRuleJson::LoadResult loaded = AlertRuleJson::loadFile(path);
        if (!loaded.errors.isEmpty()) {
            *error = loaded.errors.join(QStringLiteral("; "));
            return std::nullopt;
        }
        return loaded.value;
    };
}

void ThresholdWizardController::setSaveFunction(SaveFunction save, LoadFunction load)
{
    m_save = std::move(save);
    m_load = std::move(load);
}

ThresholdRequest ThresholdWizardController::requestFor(int index) const
{
    ThresholdRequest request;
    if (index >= 0 && index < int(m_rules.size())) {
        request.originalIndex = index;
        request.rule = m_rules[size_t(index)];
        return request;
    }
    request.rule.forMs = 5 * 60 * 1000;
    request.rule.summary = QStringLiteral("{{value}} crossed {{threshold}}");
    return request;
}

std::vector<EvaluatedSeries> ThresholdWizardController::history(const QString& expression,
                                                                qint64 spanMs, int maxPoints) const
{
    const Expression parsed = Expression::parse(expression);
    if (!parsed.isValid() || spanMs <= 0)
        return {};
    const qint64 to = now();
    const qint64 step = std::max<qint64>(1000, spanMs / std::max(1, maxPoints));
    return parsed.range(m_store, to - spanMs, to, step);
}

ThresholdWizardController::ValueRange
ThresholdWizardController::valueRange(const QString& expression, qint64 spanMs) const
{
    ValueRange range;
    range.min = std::numeric_limits<double>::infinity();
    range.max = -range.min;
    for (const EvaluatedSeries& s : history(expression, spanMs, 1440)) {
        for (const Point& p : s.points) {
            if (!std::isfinite(p.v))
                continue;
            range.min = std::min(range.min, p.v);
            range.max = std::max(range.max, p.v);
            ++range.points;
        }
    }
    if (range.points == 0)
        range.min = range.max = 0;
    return range;
}

ThresholdWizardController::Preview ThresholdWizardController::preview(const AlertRule& rule,
                                                                      qint64 spanMs) const
{
    Preview result;
    result.spanMs = spanMs;
    const Expression parsed = Expression::parse(rule.expression);
    if (!parsed.isValid() || spanMs <= 0)
        return result;
    // The rule's own interval, so `for` counts as it will live; coarser only
    // when a long span would take too many evaluations.
    const qint64 step = std::max({rule.intervalMs, qint64(1000), spanMs / kMaxPreviewSteps});
    const qint64 to = now();
    for (const EvaluatedSeries& s : parsed.range(m_store, to - spanMs, to, step)) {
        std::vector<Point> points;
        points.reserve(s.points.size());
        for (const Point& p : s.points) {
            if (std::isfinite(p.v))
                points.push_back(p);
        }
        if (points.empty())
            continue;
        ++result.series;
        result.covered = std::max(result.covered, points.back().t - points.front().t);
        result.firings += AlertStateMachine::countFirings(rule, points, step * 3);
    }
    return result;
}

QMap<QString, QString> ThresholdWizardController::validate(const ThresholdRequest& request) const
{
    QMap<QString, QString> problems;
    const AlertRule& rule = request.rule;
    const QString name = rule.name.trimmed();
    if (name.isEmpty())
        problems.insert(QStringLiteral("name"), tr("A rule needs a name."));
    for (int i = 0; i < int(m_rules.size()) && !name.isEmpty(); ++i) {
        if (i != request.originalIndex &&
            m_rules[size_t(i)].name.compare(name, Qt::CaseInsensitive) == 0) {
            problems.insert(QStringLiteral("name"),
                            tr("A rule named \"%1\" already exists.").arg(m_rules[size_t(i)].name));
            break;
        }
    }
    // AlertRule::validate names the field first ("threshold: ..."); keep the first per field.
    for (const QString& problem : rule.validate()) {
        const qsizetype colon = problem.indexOf(QLatin1Char(':'));
        const QString field = colon > 0 ? problem.left(colon) : QStringLiteral("rule");
        const QString text = colon > 0 ? problem.mid(colon + 1).trimmed() : problem;
        if (!problems.contains(field))
            problems.insert(field, text);
    }
    return problems;
}

QString ThresholdWizardController::thresholdWarning(const AlertRule& rule) const
{
    if (!std::isfinite(rule.threshold) || !Expression::parse(rule.expression).isValid())
        return {};
    const ValueRange range = valueRange(rule.expression, kWarningSpanMs);
    if (range.points == 0)
        return tr("The series has no stored data yet: the preview cannot tell how often it fires.");
    const bool above = rule.threshold > range.max;
    const bool below = rule.threshold < range.min;
    if (!above && !below)
        return {};
    const bool never = (above && (rule.comparator == AlertComparator::Greater ||
                                  rule.comparator == AlertComparator::GreaterOrEqual)) ||
                       (below && (rule.comparator == AlertComparator::Less ||
                                  rule.comparator == AlertComparator::LessOrEqual));
    return tr("%1 is outside what the series reached in the last 24 h (%2 … %3): the rule would "
              "%4 have fired.")
        .arg(number(rule.threshold), number(range.min), number(range.max),
             never ? tr("never") : tr("always"));
}

QString ThresholdWizardController::changeNote(const ThresholdRequest& request) const
{
    const AlertRule& next = request.rule;
    if (request.originalIndex < 0 || request.originalIndex >= int(m_rules.size()))
        return tr("rule created by the threshold wizard: %1 %2 %3 for %4")
            .arg(next.expression, comparatorSymbol(next.comparator), number(next.threshold),
                 PromDuration::format(next.forMs));
    const AlertRule& old = m_rules[size_t(request.originalIndex)];
    QStringList changes;
    if (old.name != next.name)
        changes << tr("name %1 -> %2").arg(old.name, next.name);
    if (old.expression != next.expression)
        changes << tr("expression %1 -> %2").arg(old.expression, next.expression);
    if (old.comparator != next.comparator || old.threshold != next.threshold)
        changes << tr("threshold %1 %2 -> %3 %4")
                       .arg(comparatorSymbol(old.comparator), number(old.threshold),
                            comparatorSymbol(next.comparator), number(next.threshold));
    if (old.forMs != next.forMs)
        changes << tr("for %1 -> %2")
                       .arg(PromDuration::format(old.forMs), PromDuration::format(next.forMs));
    if (old.keepFiringForMs != next.keepFiringForMs)
        changes << tr("keep_firing_for %1 -> %2")
                       .arg(PromDuration::format(old.keepFiringForMs),
                            PromDuration::format(next.keepFiringForMs));
    if (old.severity != next.severity)
        changes
            << tr("severity %1 -> %2").arg(severityName(old.severity), severityName(next.severity));
    if (old.labels != next.labels || old.route != next.route || old.summary != next.summary ||
        old.description != next.description)
        changes << tr("labels, route or annotations edited");
    if (changes.isEmpty())
        changes << tr("saved unchanged");
    return changes.join(QStringLiteral(", ")) + tr(" by the threshold wizard");
}

bool ThresholdWizardController::save(const ThresholdRequest& request, QString* error)
{
    m_verified.reset();
    const QMap<QString, QString> problems = validate(request);
    if (!problems.isEmpty()) {
        QStringList parts;
        for (auto it = problems.cbegin(); it != problems.cend(); ++it)
            parts << it.key() + QStringLiteral(": ") + it.value();
        *error = parts.join(QStringLiteral("; "));
        return false;
    }
    AlertRule rule = request.rule;
    rule.name = rule.name.trimmed();
    std::vector<AlertRule> next = m_rules;
    if (request.originalIndex >= 0 && request.originalIndex < int(next.size()))
        next[size_t(request.originalIndex)] = rule;
    else
        next.push_back(rule);
    if (m_save && !m_save(next, error))
        return false;
    if (m_load) {
        QString loadError;
        const auto loaded = m_load(&loadError);
        if (!loaded) {
            *error = tr("saved, but reading it back failed: %1").arg(loadError);
            return false;
        }
        for (const AlertRule& r : *loaded) {
            if (r.name == rule.name)
                m_verified = r;
        }
        if (!m_verified || !sameRule(*m_verified, rule)) {
            *error = tr("saved, but the rule read back differs from what was saved");
            return false;
        }
    }
    const QString note = changeNote(request);
    m_rules = std::move(next);

    AlertHistoryEntry entry;
    entry.ruleName = rule.name;
    entry.severity = rule.severity;
    entry.transition.t = now();
    entry.transition.value = rule.threshold;
    entry.note = note;
    m_lastNote = note;
    emit rulesChanged(m_rules);
    emit historyRecorded(entry);
    return true;
}

std::optional<double> ThresholdWizardController::parseNumber(const QString& text)
{
    QString t = text.trimmed();
    if (t.isEmpty() || t.size() > 64)
        return std::nullopt;
    // A single decimal comma reads as a point; with a point too it is a
    // thousands separator we do not guess at.
    if (t.count(QLatin1Char(',')) == 1 && !t.contains(QLatin1Char('.')))
        t.replace(QLatin1Char(','), QLatin1Char('.'));
    bool ok = false;
    const double v = QLocale::c().toDouble(t, &ok);
    if (!ok || !std::isfinite(v))
        return std::nullopt;
    return v;
}

} // namespace querydeck
