#pragma once

#include "backend/metrics/Series.h"

#include <QChartView>
#include <QColor>
#include <vector>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace querydeck {

// The threshold wizard's chart: the last hour of a rule's expression (one
// line per series) and the threshold as a dashed horizontal line that can
// be dragged with the mouse (grab it within a few pixels). Emits
// thresholdDragged() while dragging; setThreshold() moves it from typing.
// GUI thread only.
class ThresholdChart : public QChartView
{
    Q_OBJECT

public:
    static constexpr int kMaxSeries = 6;
    static constexpr int kGrabPixels = 8;

    explicit ThresholdChart(QWidget* parent = nullptr);

    void setSeries(const std::vector<EvaluatedSeries>& series, qint64 from, qint64 to);
    void setThreshold(double value);
    void setThresholdColor(const QColor& color);
    double threshold() const { return m_threshold; }
    bool hasData() const { return m_points > 0; }
    double valueSpan() const; // the value axis' range
    // Where the threshold line is drawn, in viewport coordinates (for tests and hit tests).
    QPoint thresholdPosition() const;
    QLineSeries* thresholdSeries() const { return m_line; }
    QList<QLineSeries*> dataSeries() const { return m_series; }

signals:
    void thresholdDragged(double value);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateAxes();
    void updateLine();
    bool nearLine(const QPointF& viewportPos) const;

    QChart* m_chart = nullptr;
    QDateTimeAxis* m_time = nullptr;
    QValueAxis* m_value = nullptr;
    QLineSeries* m_line = nullptr;
    QList<QLineSeries*> m_series;
    double m_threshold = 0;
    double m_dataMin = 0;
    double m_dataMax = 1;
    int m_points = 0;
    qint64 m_from = 0;
    qint64 m_to = 1;
    bool m_dragging = false;
};

} // namespace querydeck
