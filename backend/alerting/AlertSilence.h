#pragma once

#include "backend/common/LoadResult.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace querydeck {

// One matcher of a silence, as Alertmanager writes them: `name="value"`
// (equal) or `name=~"regex"` (the whole value must match). The label
// `alertname` is the rule's name and `severity` the rule's severity.
struct AlertMatcher
{
    QString name;
    QString value;
    bool regex = false;

    bool matches(const QMap<QString, QString>& labels) const;
    QString toString() const; // name="value" / name=~"value"
    // Parses `name=value`, `name="value"`, `name=~"regex"`; nothing with *error otherwise.
    static std::optional<AlertMatcher> parse(const QString& text, QString* error);

private:
    mutable std::optional<QRegularExpression> m_compiled; // built on first use
};

// A silence: alerts whose labels match every matcher between startsMs and
// endsMs still change state and are recorded in the history, but notify
// nobody. Plain data; persisted as JSON (AlertSilences::saveFile).
struct AlertSilence
{
    QString id; // assigned when added
    QList<AlertMatcher> matchers;
    qint64 startsMs = 0;
    qint64 endsMs = 0;
    QString comment;
    QString createdBy;

    bool activeAt(qint64 t) const { return t >= startsMs && t < endsMs; }
    bool matches(const QMap<QString, QString>& labels, qint64 t) const;
    // Every problem, each naming its field ("matchers[0].value: invalid regex ...").
    QStringList validate() const;
};

// The silences file: {"silences": [{"id", "matchers": ["a=\"b\""], "starts_at",
// "ends_at" (RFC 3339), "comment", "created_by"}]}. Loading keeps every valid
// silence and names each bad one.
namespace AlertSilences {

using LoadResult = querydeck::LoadResult<std::vector<AlertSilence>>;

QJsonObject toJson(const AlertSilence& silence);
LoadResult parse(const QByteArray& json);
QByteArray serialize(const std::vector<AlertSilence>& silences);
LoadResult loadFile(const QString& path); // a missing file is an empty set, not an error
bool saveFile(const QString& path, const std::vector<AlertSilence>& silences, QString* error);

} // namespace AlertSilences

} // namespace querydeck

Q_DECLARE_METATYPE(querydeck::AlertSilence)
Q_DECLARE_METATYPE(QList<querydeck::AlertSilence>)
