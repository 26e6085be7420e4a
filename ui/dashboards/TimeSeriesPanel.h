#pragma once

#include "ui/dashboards/PanelWidget.h"

#include <QList>

class QAbstractSeries;
class QAreaSeries;
class QCategoryAxis;
class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;

namespace querydeck {

// A Qt Charts line chart: one QLineSeries per EvaluatedSeries (replaced, not
// appended, on every update), a time axis, a unit-formatted value axis,
// dashed threshold lines over translucent threshold bands, a bottom legend
// and a hover tooltip with every series' value at the pointer's time.
// At most MaxSeries series are drawn; the rest are dropped with a note in
// the title bar. GUI thread only.
class TimeSeriesPanel : public PanelWidget
{
    Q_OBJECT

public:
    static constexpr int MaxSeries = 8;

    explicit TimeSeriesPanel(const PanelDefinition& definition, QWidget* parent = nullptr);

    QChart* chart() const { return m_chart; }
    QChartView* chartView() const { return m_view; }
    QList<QLineSeries*> dataSeries() const { return m_series; }
    QList<QAbstractSeries*> thresholdSeries() const;
    // One dashed line per matching alert rule, named "alert:<rule name>".
    QList<QLineSeries*> alertRuleSeries() const { return m_ruleLines; }
    bool showsNoData() const;
    // The hover tooltip's text for the pointer at time `t` (ms since epoch).
    QString hoverText(qint64 t) const;

    void setWallMode(bool wall) override;

protected:
    void updateBody() override;
    void themeChanged() override;
    void alertRulesChanged() override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Band
    {
        double from = 0;
        double to = 0;
        QString color;
        QLineSeries* line = nullptr; // dashed line at `from`; null for the base step
        QAreaSeries* area = nullptr;
        QLineSeries* upper = nullptr;
        QLineSeries* lower = nullptr;
    };

    void createThresholds();
    void updateThresholds();
    void updateAxes();
    void hideLineMarkers(); // threshold and rule lines never get a legend entry
    void applyTheme();
    std::vector<int> visibleSeries(); // indexes into m_data.series

    QChart* m_chart = nullptr;
    QChartView* m_view = nullptr;
    QDateTimeAxis* m_timeAxis = nullptr;
    QCategoryAxis* m_valueAxis = nullptr;
    QLabel* m_noData = nullptr;
    QList<QLineSeries*> m_series;
    std::vector<int> m_shown; // m_data.series index per m_series entry
    std::vector<Band> m_bands;
    QList<QLineSeries*> m_ruleLines; // parallel to m_alertRules
    double m_yMin = 0;               // data range with headroom
    double m_yMax = 1;
    double m_axisMin = 0; // value axis range (ends on ticks)
    double m_axisMax = 1;
    qint64 m_from = 0;
    qint64 m_to = 0;
    QList<double> m_ticks;
};

} // namespace querydeck
