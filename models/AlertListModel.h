#pragma once

#include "backend/alerting/AlertInstance.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <functional>

namespace querydeck {

// The alert instances the AlertEngine publishes, one row per instance key,
// for the alerts dock. setAlerts() takes a whole snapshot and updates in
// place: rows whose key vanished are removed, new keys are inserted, and a
// changed row emits dataChanged for exactly the cells and roles that
// changed, so views keep selection and scroll. Bounded: keys beyond
// maxRows are ignored (counted in droppedCount()). GUI thread only.
class AlertListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        SeverityColumn,
        RuleColumn,
        LabelsColumn,
        StateColumn,
        ValueColumn,
        SinceColumn,
        SummaryColumn,
        ColumnCount
    };

    enum Role
    {
        KeyRole = Qt::UserRole + 1,
        RuleNameRole,
        SeverityRole,  // int(AlertSeverity)
        StateRole,     // int(AlertState)
        StateRankRole, // 0 firing ... 5 normal: "firing first" sorting
        SinceRole,     // ms since epoch the instance entered its state
        ValueRole,     // double, invalid when there is no value
        SilencedRole,
        AcknowledgedRole,
        LabelsRole // QVariantMap of the instance's labels
    };

    using Clock = std::function<qint64()>;

    explicit AlertListModel(int maxRows = 2000, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const AlertInstance& alert(int row) const { return m_rows.at(row); }
    int rowOf(const QString& key) const; // -1 when absent
    int droppedCount() const { return m_dropped; }
    // "now" for the relative "since" column; default: the wall clock.
    void setClock(Clock clock);

    // "3m 20s ago"-style text for an instant relative to now.
    static QString relativeTime(qint64 sinceMs, qint64 nowMs);
    static int stateRank(AlertState state);

public slots:
    void setAlerts(const QList<querydeck::AlertInstance>& alerts);
    // Relative times moved on: repaint the since column (DisplayRole only).
    void refreshRelativeTimes();

private:
    QVariant display(const AlertInstance& alert, int column) const;
    void updateRow(int row, const AlertInstance& next);

    QList<AlertInstance> m_rows;
    QHash<QString, int> m_index; // key -> row
    int m_maxRows;
    int m_dropped = 0;
    Clock m_clock;
};

QString labelsText(const QMap<QString, QString>& labels); // a="x", b="y"
QString alertValueText(const std::optional<double>& value);

} // namespace querydeck
