#pragma once

#include "backend/alerting/AlertSilence.h"

#include <QList>
#include <QMap>
#include <QString>
#include <vector>

namespace querydeck {

// The AlertEngine's silences: held in memory, written to their file after
// every change (when a file is set; a failed write is logged, the silences
// stay), matched against an alert's full labels. Expired silences are kept a
// day for the record (as Alertmanager shows them), then pruned. A plain
// class, used on the engine's thread only; the engine announces changes.
class AlertSilenceBook
{
public:
    void setFile(const QString& path) { m_path = path; }
    // Reads the file when one is set; what cannot be read is logged and skipped.
    void load();
    // Adds a silence (id assigned when empty); returns its id, or empty with
    // *error when it does not validate.
    QString add(AlertSilence silence, QString* error = nullptr);
    // Ends a silence at `now`; false when no silence has the id.
    bool expire(const QString& id, qint64 now);
    // Drops those expired more than a day before `now`; true when any went.
    bool prune(qint64 now);
    // The first silence active at `now` whose matchers all match, or null.
    const AlertSilence* matching(const QMap<QString, QString>& labels, qint64 now) const;
    QList<AlertSilence> list() const;
    std::size_t size() const { return m_silences.size(); }

private:
    void save();

    QString m_path;
    std::vector<AlertSilence> m_silences;
};

} // namespace querydeck
