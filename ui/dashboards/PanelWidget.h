#pragma once

#include "backend/alerting/AlertRule.h"
#include "backend/dashboards/Dashboard.h"
#include "backend/dashboards/PanelData.h"

#include <QColor>
#include <QFrame>
#include <vector>

class QLabel;
class QToolButton;

namespace querydeck {

// Base of every dashboard panel: a frame with a title bar (title, a menu
// with Maximise, Inspect and Export PNG) and a body drawn by the subclass
// from the latest PanelData. GUI thread only; setData() replaces, never
// appends.
class PanelWidget : public QFrame
{
    Q_OBJECT

public:
    static PanelWidget* create(const PanelDefinition& definition, QWidget* parent = nullptr);

    const PanelDefinition& definition() const { return m_definition; }
    const PanelData& data() const { return m_data; }
    void setData(const PanelData& data);
    // Wall mode: larger type, no menu, read-only.
    virtual void setWallMode(bool wall);
    bool wallMode() const { return m_wall; }
    QToolButton* menuButton() const { return m_menuButton; }
    // Alert rules drawn on the panel: those whose expression text is
    // identical (after trimming) to one of the panel's target expressions.
    // Time series draw their thresholds, stats colour by them.
    void setAlertRules(const std::vector<AlertRule>& rules);
    const std::vector<AlertRule>& alertRules() const { return m_alertRules; }
    static bool ruleMatches(const AlertRule& rule, const PanelDefinition& definition);

signals:
    void maximizeRequested(const QString& panelId);
    void inspectRequested(const QString& panelId);
    void exportRequested(const QString& panelId);

protected:
    PanelWidget(const PanelDefinition& definition, QWidget* parent);
    virtual void updateBody() = 0; // m_data changed
    QWidget* body() const { return m_body; }

    // Helpers shared by the panel types.
    QString formatValue(double value) const;                // the definition's unit and decimals
    QColor colorFor(double value) const;                    // the threshold step the value falls in
    static double lastValue(const EvaluatedSeries& series); // latest finite value or NaN
    void setNotice(const QString& text, const QString& toolTip); // small note in the title bar
    virtual void themeChanged() {}                               // palette or mode switched
    virtual void alertRulesChanged() {}                          // m_alertRules changed

    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

    PanelDefinition m_definition;
    PanelData m_data;
    std::vector<AlertRule> m_alertRules; // the matching ones only

private:
    void applyChrome();
    void updateTitle();

    QWidget* m_body = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_notice = nullptr;
    QLabel* m_error = nullptr;
    QToolButton* m_menuButton = nullptr;
    bool m_wall = false;
    bool m_inThemeChange = false;
};

} // namespace querydeck
