#include "backend/common/FieldExpectation.h"

#include <cmath>
#include <limits>

namespace querydeck {

namespace {

QString numberText(double value)
{
    return QString::number(value, 'g', 10);
}

} // namespace

QString FieldExpectation::integer(qint64 min, qint64 max)
{
    if (max >= std::numeric_limits<int>::max())
        return QStringLiteral("an integer of at least %1").arg(min);
    return QStringLiteral("an integer between %1 and %2").arg(min).arg(max);
}

QString FieldExpectation::number(double min, double max, bool minExclusive)
{
    // JSON numbers are finite: an infinite bound is no bound worth naming.
    const bool lower = std::isfinite(min);
    const bool upper = std::isfinite(max);
    if (lower && upper) {
        const QString form = minExclusive
                                 ? QStringLiteral("a number greater than %1 and at most %2")
                                 : QStringLiteral("a number between %1 and %2");
        return form.arg(numberText(min), numberText(max));
    }
    if (lower) {
        return (minExclusive ? QStringLiteral("a number greater than %1")
                             : QStringLiteral("a number of at least %1"))
            .arg(numberText(min));
    }
    if (upper)
        return QStringLiteral("a number of at most %1").arg(numberText(max));
    return QStringLiteral("a number");
}

QString FieldExpectation::string(int maxLength, bool nonEmpty, bool lineBreaksAllowed)
{
    return QStringLiteral("a %1string of at most %2 characters without control characters%3")
        .arg(nonEmpty ? QStringLiteral("non-empty ") : QString())
        .arg(maxLength)
        .arg(lineBreaksAllowed ? QStringLiteral(" other than tabs and line breaks") : QString());
}

QString FieldExpectation::oneOf(const QStringList& allowed)
{
    QStringList quoted;
    for (const QString& option : allowed)
        quoted << QLatin1Char('"') + option + QLatin1Char('"');
    return QStringLiteral("one of ") + quoted.join(QStringLiteral(", "));
}

} // namespace querydeck
