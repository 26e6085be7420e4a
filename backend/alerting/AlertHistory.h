#pragma once

#include "backend/alerting/AlertInstance.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>
#include <deque>
#include <optional>

namespace querydeck {

struct AlertHistoryOptions
{
    qint64 maxBytes = 8 * 1024 * 1024; // the file and its one rotation together
    int maxEntries = 10000;            // kept in memory (and loaded)
};

// The persistent history of alert transitions: one JSON object per line in
// `path` (under the app data dir), appended as transitions happen, so a
// crash loses at most the line being written. Bounded on disk: when the file
// passes half of maxBytes it is rotated to `path.1` (the previous `.1` is
// dropped), and in memory to the newest maxEntries. On load, lines that do not
// parse are skipped with a warning each; every other line is kept. After a
// restart, lastStates() tells the AlertEngine where each instance stood.
// Not thread-safe; owned by the AlertEngine on the telemetry thread.
class AlertHistory
{
public:
    using Options = AlertHistoryOptions;

    // One instance as its last recorded transitions left it.
    struct Restored
    {
        QString ruleName;
        QMap<QString, QString> labels;
        AlertSeverity severity = AlertSeverity::Warning;
        AlertStatus status;
    };

    // An empty path keeps the history in memory only.
    explicit AlertHistory(QString path, Options options = {});

    // Reads `path.1` then `path`. Returns the number of entries loaded.
    int load();
    // Records one transition; false (and a logged error) when the file cannot be written.
    bool append(const AlertHistoryEntry& entry);

    const std::deque<AlertHistoryEntry>& entries() const { return m_entries; }
    QStringList warnings() const { return m_warnings; } // from the last load()
    QString path() const { return m_path; }
    // By AlertInstance::key(): each instance's state, since when, and its value.
    QHash<QString, Restored> lastStates() const;

    static QByteArray toLine(const AlertHistoryEntry& entry);
    static std::optional<AlertHistoryEntry> fromLine(const QByteArray& line, QString* error);

private:
    void readFile(const QString& path);
    void keep(const AlertHistoryEntry& entry);

    QString m_path;
    Options m_options;
    std::deque<AlertHistoryEntry> m_entries;
    QStringList m_warnings;
};

} // namespace querydeck
