#pragma once

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <vector>

namespace querydeck {

// One point of a time series: wall-clock milliseconds and a value.
struct Point
{
    qint64 t = 0;
    double v = 0.0;
};

// Identity of a series: metric name plus labels, written canonically as
// `name{a="x",b="y"}` with labels sorted by name and values escaped as in
// the Prometheus text format. The canonical string is the store's key.
struct SeriesKey
{
    QString name;
    QList<QPair<QString, QString>> labels; // sorted by label name

    QString toString() const;
    QString label(const QString& name) const;
    static SeriesKey make(QString name, QList<QPair<QString, QString>> labels); // sorts
};

enum class MetricType
{
    Untyped,
    Counter,
    Gauge,
    Histogram,
    Summary
};

struct Sample
{
    SeriesKey key;
    double value = 0.0;
    qint64 timestampMs = 0;
};

// What one poll of a MetricSource produced.
struct SourceResult
{
    QString sourceId;
    qint64 timestampMs = 0;
    std::vector<Sample> samples;
    QHash<QString, MetricType> types; // metric family name -> type, when known
    int malformedLines = 0;           // exposition lines skipped
    QString error;                    // empty: the poll worked
};

// A series computed for display: a legend and its points, oldest first.
struct EvaluatedSeries
{
    QString legend;
    std::vector<Point> points;
};

// What a range query of a source with history (MetricSource::queryRange)
// produced: one series per key, oldest point first, or an error naming the query.
struct RangeResult
{
    std::vector<SeriesKey> keys;
    std::vector<EvaluatedSeries> series; // series[i] belongs to keys[i]
    QString error;
};

} // namespace querydeck

Q_DECLARE_METATYPE(querydeck::SourceResult)
Q_DECLARE_METATYPE(querydeck::RangeResult)
