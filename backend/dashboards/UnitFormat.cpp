#include "backend/dashboards/UnitFormat.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace querydeck {

namespace {

struct Step
{
    double factor;
    QString suffix; // written straight after the number
};

// A unit as a ladder of scales; `base` is the rung used for zero.
struct Ladder
{
    std::vector<Step> steps;
    int base = 0;
    double multiplier = 1.0; // applied to the raw value first (s -> ms, 0-1 -> %)
};

std::vector<Step> shortSteps(const QString& tail)
{
    return {
        {1.0, tail}, {1e3, "k" + tail}, {1e6, "M" + tail}, {1e9, "B" + tail}, {1e12, "T" + tail}};
}

std::vector<Step> byteSteps(const QString& tail)
{
    std::vector<Step> steps;
    const char* names[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double factor = 1.0;
    for (const char* name : names) {
        steps.push_back({factor, QStringLiteral(" ") + name + tail});
        factor *= 1024.0;
    }
    return steps;
}

Ladder ladderFor(const QString& unit)
{
    if (unit == u"percent")
        return {{{1.0, "%"}}, 0, 1.0};
    if (unit == u"percentunit")
        return {{{1.0, "%"}}, 0, 100.0};
    if (unit == u"bytes")
        return {byteSteps({}), 0, 1.0};
    if (unit == u"bytes/s")
        return {byteSteps("/s"), 0, 1.0};
    if (unit == u"reqpm")
        return {shortSteps(" req/min"), 0, 1.0};
    if (unit == u"reqps")
        return {shortSteps(" req/s"), 0, 1.0};
    if (unit == u"ms" || unit == u"s") {
        std::vector<Step> steps = {{1e-3, QStringLiteral(" µs")},
                                   {1.0, " ms"},
                                   {1e3, " s"},
                                   {6e4, " min"},
                                   {3.6e6, " h"},
                                   {8.64e7, " d"}};
        return {steps, unit == u"s" ? 2 : 1, unit == u"s" ? 1000.0 : 1.0};
    }
    if (unit == u"short")
        return {shortSteps({}), 0, 1.0};
    if (unit.isEmpty() || unit == u"none")
        return {{{1.0, {}}}, 0, 1.0};
    return {{{1.0, " " + unit}}, 0, 1.0};
}

int rungFor(const Ladder& ladder, double magnitude)
{
    if (magnitude == 0.0)
        return ladder.base;
    int rung = 0;
    for (int i = 0; i < int(ladder.steps.size()); ++i) {
        if (magnitude >= ladder.steps[i].factor)
            rung = i;
    }
    return rung;
}

QString trimZeros(QString text)
{
    if (!text.contains('.'))
        return text;
    while (text.endsWith('0'))
        text.chop(1);
    if (text.endsWith('.'))
        text.chop(1);
    return text;
}

QString number(double magnitude, int decimals, bool trim)
{
    const QString text = QString::number(magnitude, 'f', decimals);
    return trim ? trimZeros(text) : text;
}

// Decimals that make consecutive multiples of `step` print differently.
int decimalsForStep(double step)
{
    if (!(step > 0.0) || !std::isfinite(step))
        return 0;
    int decimals = 0;
    while (decimals < 6) {
        const double scaled = step * std::pow(10.0, decimals);
        if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled))
            break;
        ++decimals;
    }
    return decimals;
}

} // namespace

int UnitFormat::autoDecimals(double value)
{
    const double magnitude = std::abs(value);
    if (magnitude == 0.0 || !std::isfinite(magnitude))
        return 0;
    const int digits = int(std::floor(std::log10(magnitude))) + 1;
    return std::clamp(3 - digits, 0, 4);
}

QString UnitFormat::format(double value, const QString& unit, int decimals)
{
    if (std::isnan(value))
        return QStringLiteral("No data");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("∞") : QStringLiteral("-∞");

    const Ladder ladder = ladderFor(unit);
    const double raw = value * ladder.multiplier;
    const bool negative = raw < 0;
    const double magnitude = std::abs(raw);
    const bool automatic = decimals < 0;

    int rung = rungFor(ladder, magnitude);
    for (;;) {
        const double scaled = magnitude / ladder.steps[rung].factor;
        const int places = automatic ? autoDecimals(scaled) : std::min(decimals, 12);
        const QString digits = number(scaled, places, automatic);
        // Rounding can carry a value onto the next rung (1023.9 B -> "1024 B").
        if (rung + 1 < int(ladder.steps.size()) &&
            digits.toDouble() * ladder.steps[rung].factor >= ladder.steps[rung + 1].factor) {
            ++rung;
            continue;
        }
        const bool isZero = digits.toDouble() == 0.0;
        return (negative && !isZero ? QStringLiteral("-") : QString()) + digits +
               ladder.steps[rung].suffix;
    }
}

QStringList UnitFormat::axisLabels(const QList<double>& ticks, const QString& unit)
{
    QStringList labels;
    if (ticks.isEmpty())
        return labels;
    const Ladder ladder = ladderFor(unit);
    double largest = 0.0;
    for (double tick : ticks) {
        if (std::isfinite(tick))
            largest = std::max(largest, std::abs(tick * ladder.multiplier));
    }
    const int rung = rungFor(ladder, largest);
    const double factor = ladder.steps[rung].factor;

    double step = 0.0;
    for (int i = 1; i < ticks.size(); ++i) {
        const double gap = std::abs(ticks[i] - ticks[i - 1]) * ladder.multiplier / factor;
        if (gap > 0.0 && (step == 0.0 || gap < step))
            step = gap;
    }
    const int places = step > 0.0 ? decimalsForStep(step) : autoDecimals(largest / factor);

    for (double tick : ticks) {
        if (!std::isfinite(tick)) {
            labels << format(tick, unit);
            continue;
        }
        const double scaled = tick * ladder.multiplier / factor;
        QString digits = QString::number(std::abs(scaled), 'f', places);
        const bool isZero = digits.toDouble() == 0.0;
        const QString& suffix = ladder.steps[rung].suffix;
        if (isZero && rung != ladder.base && suffix.front().isLetter()) {
            // A glued SI prefix on zero reads as "0k req/min"; spaced units
            // ("0 ms", "0.0 MiB") keep the common scale the other labels use.
            labels << digits + ladder.steps[ladder.base].suffix;
            continue;
        }
        labels << (scaled < 0 && !isZero ? QStringLiteral("-") : QString()) + digits + suffix;
    }
    return labels;
}

QString UnitFormat::axisLabel(double value, const QString& unit, double step)
{
    return axisLabels({value, value + step}, unit).value(0);
}

QList<double> UnitFormat::niceTicks(double min, double max, int maxTicks, const QString& unit)
{
    QList<double> ticks;
    if (!std::isfinite(min) || !std::isfinite(max) || maxTicks < 2)
        return ticks;
    if (max < min)
        std::swap(min, max);
    if (max == min) {
        ticks << min;
        return ticks;
    }
    // Bytes read best in binary steps (256 MiB, 512 MiB), everything else in decimal ones.
    const Ladder ladder = ladderFor(unit);
    const bool binary = unit == u"bytes" || unit == u"bytes/s";
    const double span = (max - min) * ladder.multiplier;
    double factor = 1.0;
    if (binary)
        factor = ladder.steps[rungFor(ladder, std::max(std::abs(min), std::abs(max)))].factor;

    const double raw = span / factor / double(maxTicks - 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double normalized = raw / magnitude;
    double nice = 10.0;
    for (double candidate : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (normalized <= candidate) {
            nice = candidate;
            break;
        }
    }
    const double step = nice * magnitude * factor / ladder.multiplier;
    const double first = std::ceil(min / step - 1e-9) * step;
    for (double tick = first; tick <= max + step * 1e-9 && ticks.size() < maxTicks * 2;
         tick += step)
        ticks << (std::abs(tick) < step * 1e-9 ? 0.0 : tick);
    if (ticks.size() < 2) {
        // The nice step outgrew a narrow range (0..1.5 KiB/s with room for two
        // labels gives a 2 KiB step): bracket the range instead, so an axis
        // never ends up with a single "0" label.
        ticks.clear();
        for (double tick = std::floor(min / step + 1e-9) * step;; tick += step) {
            ticks << (std::abs(tick) < step * 1e-9 ? 0.0 : tick);
            if (tick >= max - step * 1e-9)
                break;
        }
    }
    return ticks;
}

} // namespace querydeck
