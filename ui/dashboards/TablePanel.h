#pragma once

#include "ui/dashboards/PanelWidget.h"

class QStandardItemModel;
class QTableView;

namespace querydeck {

// A two-column table: each series' legend and its latest value,
// unit-formatted and coloured by the thresholds. Rows are updated in place
// so selection and scroll position survive refreshes. GUI thread only.
class TablePanel : public PanelWidget
{
    Q_OBJECT

public:
    explicit TablePanel(const PanelDefinition& definition, QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    QStandardItemModel* model() const { return m_model; }
    void setWallMode(bool wall) override;

protected:
    void updateBody() override;
    void themeChanged() override;

private:
    void applyTheme();

    QTableView* m_view = nullptr;
    QStandardItemModel* m_model = nullptr;
};

} // namespace querydeck
