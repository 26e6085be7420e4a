#include "backend/alerting/AlertRule.h"

#include "backend/metrics/Expression.h"

#include <QRegularExpression>
#include <cmath>

namespace querydeck {

namespace {

QString formatNumber(double value)
{
    if (!std::isfinite(value))
        return std::isnan(value) ? QStringLiteral("NaN")
                                 : (value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf"));
    return QString::number(value, 'g', 6);
}

} // namespace

bool AlertRule::breaches(double value) const
{
    if (std::isnan(value))
        return false;
    switch (comparator) {
    case AlertComparator::Greater:
        return value > threshold;
    case AlertComparator::GreaterOrEqual:
        return value >= threshold;
    case AlertComparator::Less:
        return value < threshold;
    case AlertComparator::LessOrEqual:
        return value <= threshold;
    }
    return false;
}

QString AlertRule::render(const QString& text, double value,
                          const QMap<QString, QString>& instanceLabels) const
{
    static const QRegularExpression placeholder(
        QStringLiteral(R"(\{\{\s*(value|threshold|labels\.([A-Za-z_][A-Za-z0-9_]*))\s*\}\})"));
    QString out;
    qsizetype last = 0;
    auto it = placeholder.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        out += text.mid(last, match.capturedStart() - last);
        const QString what = match.captured(1);
        if (what == QLatin1String("value"))
            out += formatNumber(value);
        else if (what == QLatin1String("threshold"))
            out += formatNumber(threshold);
        else {
            const QString label = match.captured(2);
            out += instanceLabels.value(label, labels.value(label));
        }
        last = match.capturedEnd();
    }
    out += text.mid(last);
    return out;
}

QStringList AlertRule::validate() const
{
    QStringList errors;
    static const QRegularExpression labelName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (name.trimmed().isEmpty())
        errors << QStringLiteral("name: must not be empty");
    else if (name.size() > 200)
        errors << QStringLiteral("name: longer than 200 characters");
    else if (name.contains(QRegularExpression(QStringLiteral("[\\x00-\\x1f\\x7f]"))))
        errors << QStringLiteral("name: contains control characters");
    if (expression.trimmed().isEmpty()) {
        errors << QStringLiteral("expression: must not be empty");
    } else {
        const Expression parsed = Expression::parse(expression);
        if (!parsed.isValid())
            errors << QStringLiteral("expression: %1").arg(parsed.error());
    }
    if (!std::isfinite(threshold))
        errors << QStringLiteral("threshold: not a finite number");
    if (forMs < 0)
        errors << QStringLiteral("for: must not be negative");
    if (keepFiringForMs < 0)
        errors << QStringLiteral("keep_firing_for: must not be negative");
    if (intervalMs < 1000 || intervalMs > 3600 * 1000)
        errors << QStringLiteral("interval: must be between 1s and 1h");
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        if (!labelName.match(it.key()).hasMatch())
            errors << QStringLiteral("labels: \"%1\" is not a valid label name").arg(it.key());
        else if (it.key() == QLatin1String("alertname") || it.key() == QLatin1String("severity"))
            errors << QStringLiteral("labels: \"%1\" is set by QueryDeck").arg(it.key());
    }
    return errors;
}

QString severityName(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical:
        return QStringLiteral("critical");
    case AlertSeverity::Warning:
        return QStringLiteral("warning");
    case AlertSeverity::Info:
        return QStringLiteral("info");
    }
    return {};
}

QString comparatorSymbol(AlertComparator comparator)
{
    switch (comparator) {
    case AlertComparator::Greater:
        return QStringLiteral(">");
    case AlertComparator::GreaterOrEqual:
        return QStringLiteral(">=");
    case AlertComparator::Less:
        return QStringLiteral("<");
    case AlertComparator::LessOrEqual:
        return QStringLiteral("<=");
    }
    return {};
}

QString noDataName(NoDataBehaviour behaviour)
{
    switch (behaviour) {
    case NoDataBehaviour::Ok:
        return QStringLiteral("ok");
    case NoDataBehaviour::Alerting:
        return QStringLiteral("alerting");
    case NoDataBehaviour::NoData:
        return QStringLiteral("nodata");
    }
    return {};
}

QString alertStateName(AlertState state)
{
    switch (state) {
    case AlertState::Normal:
        return QStringLiteral("normal");
    case AlertState::Pending:
        return QStringLiteral("pending");
    case AlertState::Firing:
        return QStringLiteral("firing");
    case AlertState::Recovering:
        return QStringLiteral("recovering");
    case AlertState::NoData:
        return QStringLiteral("nodata");
    case AlertState::Error:
        return QStringLiteral("error");
    }
    return {};
}

namespace {

template <typename Enum, typename NameOf>
bool parseByName(const QString& text, Enum* out, std::initializer_list<Enum> values, NameOf nameOf)
{
    for (Enum value : values) {
        if (nameOf(value) == text) {
            *out = value;
            return true;
        }
    }
    return false;
}

} // namespace

bool parseSeverity(const QString& text, AlertSeverity* out)
{
    return parseByName(text, out,
                       {AlertSeverity::Critical, AlertSeverity::Warning, AlertSeverity::Info},
                       severityName);
}

bool parseComparator(const QString& text, AlertComparator* out)
{
    return parseByName(text, out,
                       {AlertComparator::Greater, AlertComparator::GreaterOrEqual,
                        AlertComparator::Less, AlertComparator::LessOrEqual},
                       comparatorSymbol);
}

bool parseNoData(const QString& text, NoDataBehaviour* out)
{
    return parseByName(text, out,
                       {NoDataBehaviour::Ok, NoDataBehaviour::Alerting, NoDataBehaviour::NoData},
                       noDataName);
}

bool parseAlertState(const QString& text, AlertState* out)
{
    return parseByName(text, out,
                       {AlertState::Normal, AlertState::Pending, AlertState::Firing,
                        AlertState::Recovering, AlertState::NoData, AlertState::Error},
                       alertStateName);
}

} // namespace querydeck
