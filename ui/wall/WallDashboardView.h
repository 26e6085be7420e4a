#pragma once

#include "backend/alerting/AlertRule.h"
#include "backend/dashboards/Dashboard.h"
#include "backend/dashboards/PanelData.h"

#include <QHash>
#include <QList>
#include <QWidget>

class QLabel;
class QTimer;

namespace querydeck {

class PanelWidget;

// A dashboard fitted to its widget with no scrolling, for the wall: every
// row is shown (collapse state ignored), rows share the height in proportion
// to their lines of panels, panels in a line share the width in proportion
// to their span (4 columns per line). Geometry is set by hand in
// resizeEvent so size hints can never push a panel off screen or onto
// another. Panels are in wall mode (read-only, no menus). panelQueries()
// carries the panels' drawn widths (history steps are sized from them);
// panelWidthsChanged() says when those differ from what the last
// setDashboard() or signal handed out (shown, resized). GUI thread only.
class WallDashboardView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kColumns = 4;

    explicit WallDashboardView(QWidget* parent = nullptr);

    void setDashboard(const DashboardDefinition& dashboard);
    // As DashboardView::setAlertRules; kept across setDashboard().
    void setAlertRules(const std::vector<AlertRule>& rules);
    const DashboardDefinition& dashboard() const { return m_dashboard; }
    QList<PanelQuery> panelQueries() const;
    QList<PanelWidget*> panels() const;
    PanelWidget* panel(const QString& panelId) const { return m_panels.value(panelId); }
    // Row titles in pixels; panel text too, handed to panels as points
    // because they scale their own chrome (wall titles 1.6×) from it.
    void setFontPixelSizes(int rowTitle, int panel);

public slots:
    void showPanelData(const QList<querydeck::PanelData>& data);

signals:
    // Ask panelQueries() again: the drawn widths changed.
    void panelWidthsChanged();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    struct Line
    {
        QList<PanelWidget*> panels;
        QList<int> spans;
    };
    struct Row
    {
        QLabel* title = nullptr;
        QList<Line> lines;
    };

    void relayout();
    QHash<QString, int> panelWidths() const; // 0 while not shown
    void checkWidths();

    DashboardDefinition m_dashboard;
    QList<Row> m_rows;
    QHash<QString, PanelWidget*> m_panels;
    int m_fontPixels = 20;
    int m_panelPixels = 16;
    std::vector<AlertRule> m_alertRules;
    QHash<QString, int> m_reportedWidths;
    QTimer* m_widthCheck = nullptr;
};

} // namespace querydeck
