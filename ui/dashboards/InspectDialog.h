#pragma once

#include "backend/dashboards/PanelData.h"

#include <QDialog>

class QPushButton;
class QStandardItemModel;
class QTableView;

namespace querydeck {

// Shows a panel's raw values: one row per timestamp, a time column and one
// column per series, plus "Copy as CSV" to the clipboard. A snapshot: it
// does not follow later refreshes. GUI thread only.
class InspectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit InspectDialog(const QString& title, const PanelData& data, QWidget* parent = nullptr);

    QStandardItemModel* model() const { return m_model; }
    QPushButton* copyButton() const { return m_copy; }
    QString csv() const;

    // RFC 4180 CSV of the data: "time" (ISO 8601, UTC) then one column per
    // series; a legend starting with = + - @ is prefixed with ' so
    // spreadsheets do not run it as a formula.
    static QString toCsv(const PanelData& data);

public slots:
    void copyCsv();

private:
    PanelData m_data;
    QStandardItemModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QPushButton* m_copy = nullptr;
};

} // namespace querydeck
