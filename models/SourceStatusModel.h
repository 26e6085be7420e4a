#pragma once

#include "backend/dashboards/PanelData.h"

#include <QAbstractTableModel>
#include <QList>

namespace querydeck {

// The data sources' health for the status bar and the wall's banner: one
// row per source (in the order first seen), columns id, health, last error,
// last success. setStatuses() updates in place: new sources are inserted,
// vanished ones removed, and a changed field emits dataChanged with
// DisplayRole for exactly its cell and with its own role across the row, so a
// 1 s refresh with nothing new costs views nothing.
// GUI-thread object.
class SourceStatusModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        IdColumn,
        HealthColumn,
        LastErrorColumn,
        LastSuccessColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    // Same value in every column of a row.
    enum Role
    {
        IdRole = Qt::UserRole + 1, // QString
        HealthRole,                // int, SourceHealth
        LastErrorRole,             // QString
        LastSuccessRole,           // qint64 ms since the epoch, 0 = never
        DescriptionRole,           // QString
        MalformedLinesRole         // int
    };
    Q_ENUM(Role)

    explicit SourceStatusModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const QList<SourceStatus>& statuses() const { return m_rows; }
    static QString healthName(SourceHealth health); // ok, stale, error

public slots:
    void setStatuses(const QList<querydeck::SourceStatus>& statuses);
    void clear();

private:
    void update(int row, const SourceStatus& status);
    void changed(int row, int column, int role);

    QList<SourceStatus> m_rows;
};

} // namespace querydeck
