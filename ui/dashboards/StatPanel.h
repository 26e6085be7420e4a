#pragma once

#include "ui/dashboards/PanelWidget.h"

namespace querydeck {

// One big number — the latest value of the first series, unit-formatted and
// coloured by the thresholds — over a sparkline of that series. The text
// scales with the panel (huge on the wall). Custom-painted; GUI thread only.
class StatPanel : public PanelWidget
{
    Q_OBJECT

public:
    explicit StatPanel(const PanelDefinition& definition, QWidget* parent = nullptr);

    QString valueText() const { return m_text; }
    // The threshold step's colour, or the severity colour of the most severe
    // matching alert rule the value breaches.
    QColor valueColor() const;
    double value() const { return m_value; }

protected:
    void updateBody() override;
    void alertRulesChanged() override { body()->update(); }
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void paintBody();

    double m_value = 0;
    QString m_text;
};

} // namespace querydeck
