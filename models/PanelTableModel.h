#pragma once

#include "backend/dashboards/PanelData.h"

#include <QAbstractTableModel>
#include <optional>
#include <vector>

namespace querydeck {

// A panel's data as a table, for the inspect dialog and table panels: one
// row per timestamp (oldest first, the union over all series), column 0 the
// time, then one column per series headed by its legend. A series without a
// point at a row's time has an empty cell. toCsv() gives the same table as
// RFC 4180 CSV. GUI-thread object; setPanelData() resets the model.
class PanelTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role
    {
        TimestampRole = Qt::UserRole + 1, // qint64 ms of the row, any column
        ValueRole                         // double, or invalid when the cell is empty / time column
    };
    Q_ENUM(Role)

    explicit PanelTableModel(QObject* parent = nullptr);

    void setPanelData(const PanelData& data);
    const PanelData& panelData() const { return m_data; }
    // Digits after the point in DisplayRole; -1 shows up to 6 significant digits.
    void setDecimals(int decimals);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Header "time,<legend>,..."; times as ISO 8601 UTC with milliseconds,
    // values in full precision (NaN, +Inf, -Inf spelled out), missing values
    // empty, lines ending in "\r\n". Fields with a comma, quote, CR or LF are
    // quoted, quotes doubled; a legend starting with = + - @ gets a leading
    // apostrophe so a spreadsheet does not run it as a formula.
    QString toCsv() const;

    static QString csvField(const QString& text);

private:
    QString legend(int series) const;
    std::optional<double> value(int row, int series) const;

    PanelData m_data;
    std::vector<qint64> m_times;
    std::vector<std::vector<std::optional<double>>> m_cells; // [row][series]
    int m_decimals = -1;
};

} // namespace querydeck
