#pragma once

#include "backend/dashboards/Dashboard.h"
#include "backend/dashboards/PanelData.h"
#include "ui/dashboards/PanelWidget.h"

#include <QHash>
#include <QList>
#include <QPointer>
#include <QWidget>
#include <functional>

class QGridLayout;
class QLabel;
class QScrollArea;
class QShortcut;
class QStackedWidget;
class QToolButton;
class QVBoxLayout;

namespace querydeck {

// The main window's dashboard: one collapsible row per RowDefinition (header
// button ▸/▾ + title; state remembered in QSettings per dashboard uid and row
// title), panels on a 4-column grid honouring `span`, in a scroll area. A
// panel's Maximise shows a copy of it alone filling the view (Escape or Back
// returns); Inspect opens InspectDialog; Export asks for a file and writes a
// PNG. Routes PanelData to panels by id. panelsChanged() carries each
// panel's drawn width (history queries size their step by it), again once
// the view is first shown and laid out. GUI thread only.
class DashboardView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kColumns = 4;
    // Chooses the PNG file for an export; empty = cancelled. Default: QFileDialog.
    using ExportPathProvider = std::function<QString(const QString& suggestedName)>;

    explicit DashboardView(QWidget* parent = nullptr);
    ~DashboardView() override;

    void setDashboard(const DashboardDefinition& dashboard);
    // Alert rules drawn on the panels whose target expression is identical
    // to the rule's (PanelWidget::setAlertRules); kept across setDashboard().
    void setAlertRules(const std::vector<AlertRule>& rules);
    const DashboardDefinition& dashboard() const { return m_dashboard; }
    QList<PanelQuery> panelQueries() const;

    PanelWidget* panel(const QString& panelId) const;
    QList<PanelWidget*> panels() const;
    int rowCount() const { return int(m_rows.size()); }
    QToolButton* rowHeader(int row) const;
    bool isRowCollapsed(int row) const;

    // The panel shown maximised, or nullptr in the normal view.
    PanelWidget* maximizedPanel() const { return m_maxPanel; }
    QScrollArea* scrollArea() const { return m_scroll; }
    QLabel* noticeLabel() const { return m_notice; }
    void setExportPathProvider(ExportPathProvider provider);
    static QString settingsKey(const QString& dashboardUid, const QString& rowTitle);

public slots:
    void showPanelData(const QList<querydeck::PanelData>& data);
    void setRowCollapsed(int row, bool collapsed);
    void maximizePanel(const QString& panelId);
    void restoreFromMaximized();
    void inspectPanel(const QString& panelId);
    void exportPanel(const QString& panelId);
    // A problem worth a line above the rows (e.g. the dashboard file was
    // invalid and the default is shown); empty hides it.
    void showNotice(const QString& text);

signals:
    void panelsChanged(const QList<querydeck::PanelQuery>& queries);
    void rowCollapsedChanged(int row, bool collapsed);
    void maximizedChanged(const QString& panelId);            // empty: back to normal view
    void exported(const QString& path, const QString& error); // error empty: written

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct Row
    {
        QToolButton* header = nullptr;
        QWidget* body = nullptr;
        QList<PanelWidget*> panels;
    };

    void clear();
    void connectPanel(PanelWidget* panel);
    void updateHeader(int row);
    int panelWidth(const QString& panelId) const; // 0 while not shown
    void sendWidthsLater();

    DashboardDefinition m_dashboard;
    QStackedWidget* m_stack = nullptr;
    QScrollArea* m_scroll = nullptr;
    QWidget* m_rowsHost = nullptr;
    QVBoxLayout* m_rowsLayout = nullptr;
    QLabel* m_notice = nullptr;
    QWidget* m_maxPage = nullptr;
    QLabel* m_maxTitle = nullptr;
    QVBoxLayout* m_maxLayout = nullptr;
    QPointer<PanelWidget> m_maxPanel;
    QShortcut* m_escape = nullptr;
    std::vector<Row> m_rows;
    QHash<QString, PanelWidget*> m_panels;
    ExportPathProvider m_exportPath;
    std::vector<AlertRule> m_alertRules;
    bool m_widthsSent = false; // panelsChanged() after the first layout carries panel widths
};

} // namespace querydeck
