#include "backend/metrics/PromDuration.h"

#include <QRegularExpression>
#include <array>

namespace querydeck::PromDuration {

namespace {

struct Unit
{
    const char* suffix;
    qint64 ms;
};

// Largest first, as Prometheus requires them in a duration.
constexpr std::array<Unit, 7> kUnits{{{"y", 365LL * 24 * 3600 * 1000},
                                      {"w", 7LL * 24 * 3600 * 1000},
                                      {"d", 24LL * 3600 * 1000},
                                      {"h", 3600LL * 1000},
                                      {"m", 60LL * 1000},
                                      {"s", 1000},
                                      {"ms", 1}}};

// Ten years: longer is a typo, and it keeps every sum far from overflow.
constexpr qint64 kMaxMs = 10LL * 365 * 24 * 3600 * 1000;

bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

std::optional<qint64> parse(const QString& text, QString* error)
{
    // "ms" before "m" and "s" in the alternation, so "5ms" is not "5m" + "s".
    static const QRegularExpression part(QStringLiteral("([0-9]+)(ms|y|w|d|h|m|s)"));
    if (text.isEmpty()) {
        fail(error, QStringLiteral("empty duration"));
        return std::nullopt;
    }
    qint64 total = 0;
    int lastUnit = -1;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const auto match = part.match(text, pos, QRegularExpression::NormalMatch,
                                      QRegularExpression::AnchorAtOffsetMatchOption);
        if (!match.hasMatch()) {
            fail(error, QStringLiteral("\"%1\" is not a duration like 30s, 5m or 1h30m").arg(text));
            return std::nullopt;
        }
        const QString suffix = match.captured(2);
        int unit = 0;
        while (QLatin1String(kUnits[unit].suffix) != suffix)
            ++unit;
        if (unit <= lastUnit) {
            fail(error, QStringLiteral("\"%1\": units must go from largest to smallest, each once")
                            .arg(text));
            return std::nullopt;
        }
        lastUnit = unit;
        bool ok = false;
        const qint64 count = match.captured(1).toLongLong(&ok);
        if (!ok || count > kMaxMs / kUnits[unit].ms || total + count * kUnits[unit].ms > kMaxMs) {
            fail(error, QStringLiteral("\"%1\" is longer than ten years").arg(text));
            return std::nullopt;
        }
        total += count * kUnits[unit].ms;
        pos = match.capturedEnd();
    }
    return total;
}

QString format(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("0s");
    QString out;
    for (const Unit& unit : kUnits) {
        if (ms >= unit.ms) {
            out += QString::number(ms / unit.ms) + QLatin1String(unit.suffix);
            ms %= unit.ms;
        }
    }
    return out;
}

} // namespace querydeck::PromDuration
