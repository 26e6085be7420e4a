#pragma once

#include <QString>
#include <optional>

namespace querydeck {

// Durations as Prometheus writes them: "1h30m", "5m", "90s", "250ms", "0s";
// units y w d h m s ms, each at most once, largest first. Used by alert rule
// files (ours and Prometheus's) so both read and write the same text.
namespace PromDuration {

// Milliseconds, or nothing (with *error naming the problem) for bad text.
std::optional<qint64> parse(const QString& text, QString* error = nullptr);
// The shortest exact form: 300000 -> "5m", 5400000 -> "1h30m", 0 -> "0s".
QString format(qint64 ms);

} // namespace PromDuration

} // namespace querydeck
