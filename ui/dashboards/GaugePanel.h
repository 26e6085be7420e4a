#pragma once

#include "ui/dashboards/PanelWidget.h"

namespace querydeck {

// A 240° gauge: a thin outer ring coloured by the threshold steps, a track,
// a value arc in the value's threshold colour and the formatted value in the
// middle. Range from the definition (percent defaults to 0..100).
// Custom-painted; GUI thread only.
class GaugePanel : public PanelWidget
{
    Q_OBJECT

public:
    explicit GaugePanel(const PanelDefinition& definition, QWidget* parent = nullptr);

    QString valueText() const { return m_text; }
    QColor valueColor() const { return colorFor(m_value); }
    double value() const { return m_value; }
    double minimum() const { return m_min; }
    double maximum() const { return m_max; }
    double fraction() const; // 0..1 of the arc filled; 0 when there is no value

protected:
    void updateBody() override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void paintBody();
    void updateRange();

    double m_value = 0;
    double m_min = 0;
    double m_max = 100;
    QString m_text;
};

} // namespace querydeck
