#pragma once

#include "backend/alerting/AlertInstance.h"
#include "backend/dashboards/Dashboard.h"
#include "backend/dashboards/PanelData.h"

#include <QList>
#include <QSet>
#include <QWidget>

class QLabel;
class QTimer;

namespace querydeck {

class WallDashboardView;

// `querydeck --wall`: a frameless, read-only window for a monitoring wall.
// The current dashboard fills the screen without scrolling, type scales with
// the window height, a big clock sits top right, a playlist rotates through
// dashboards, and a banner at the top lists data-source failures. Escape
// does nothing; Ctrl+Shift+Q (shown in a hint) closes. GUI thread only.
class WallWindow : public QWidget
{
    Q_OBJECT

public:
    explicit WallWindow(QWidget* parent = nullptr);
    ~WallWindow() override;

    // rotateSeconds <= 0: no rotation.
    void setDashboards(const QList<DashboardDefinition>& dashboards, int rotateSeconds);
    void setRotationIntervalMs(int ms);
    int rotationIntervalMs() const;
    int currentIndex() const { return m_current; }
    QString currentTitle() const;
    QList<PanelQuery> panelQueries() const;
    // Puts the window on screen `index` of QGuiApplication::screens(); false
    // (and nothing moved) when there is no such screen.
    bool setScreen(int index);
    // Pixel size of panel text for the current height.
    int baseFontPixels() const { return m_basePixels; }

    WallDashboardView* dashboardView() const { return m_view; }
    QLabel* banner() const { return m_banner; }
    // Firing alerts: count and the oldest, red with any critical, else amber.
    QLabel* alertBanner() const { return m_alertBanner; }
    // The rules, so panels draw their thresholds and a firing alert can be
    // traced to the dashboard that shows its expression.
    void setAlertRules(const std::vector<AlertRule>& rules);
    // The dashboard holding a panel with the rule's expression (identical
    // text), or -1.
    int dashboardFor(const QString& ruleName) const;
    QLabel* clock() const { return m_clock; }
    QLabel* titleLabel() const { return m_title; }

    static constexpr auto kLeaveChord = "Ctrl+Shift+Q";

public slots:
    void showPanelData(const QList<querydeck::PanelData>& data);
    void showSourceStatus(const QList<querydeck::SourceStatus>& status);
    void showDashboard(int index);
    void next();
    // The AlertEngine's snapshot. An alert that starts firing (critical and
    // warning; not silenced) moves the playlist to the dashboard that shows it.
    void setAlerts(const QList<querydeck::AlertInstance>& alerts);

signals:
    // The panels on screen changed (rotation), or their drawn widths (shown,
    // resized): the engine should query these.
    void panelsChanged(const QList<querydeck::PanelQuery>& queries);
    void dashboardChanged(int index, const QString& title);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void updateClock();
    void applyScale();
    void updateTitle();

    QList<DashboardDefinition> m_dashboards;
    int m_current = -1;
    QString m_titleText;
    WallDashboardView* m_view = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_clock = nullptr;
    QLabel* m_banner = nullptr;
    QLabel* m_alertBanner = nullptr;
    std::vector<AlertRule> m_rules;
    QSet<QString> m_firingKeys; // firing at the last setAlerts()
    QLabel* m_hint = nullptr;
    QTimer* m_rotate = nullptr;
    QTimer* m_clockTimer = nullptr;
    int m_basePixels = 20;
};

} // namespace querydeck
