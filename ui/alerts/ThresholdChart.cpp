#include "ui/alerts/ThresholdChart.h"

#include "ui/common/Theme.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLineSeries>
#include <QMouseEvent>
#include <QValueAxis>
#include <cmath>

namespace querydeck {

ThresholdChart::ThresholdChart(QWidget* parent)
    : QChartView(parent)
{
    setObjectName(QStringLiteral("thresholdChart"));
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundRoundness(0);
    m_chart->setBackgroundBrush(Theme::color(Theme::Role::Panel));
    m_chart->setMargins(QMargins(4, 4, 8, 4));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setLabelColor(Theme::color(Theme::Role::Text));
    setChart(m_chart);
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    setMinimumHeight(220);

    m_time = new QDateTimeAxis(m_chart);
    m_time->setFormat(QStringLiteral("HH:mm"));
    m_time->setTickCount(7);
    m_value = new QValueAxis(m_chart);
    m_value->setLabelFormat(QStringLiteral("%.4g"));
    for (QAbstractAxis* axis :
         {static_cast<QAbstractAxis*>(m_time), static_cast<QAbstractAxis*>(m_value)}) {
        axis->setLabelsColor(Theme::color(Theme::Role::MutedText));
        axis->setGridLineColor(Theme::color(Theme::Role::Grid));
        axis->setLinePenColor(Theme::color(Theme::Role::Grid));
    }
    m_chart->addAxis(m_time, Qt::AlignBottom);
    m_chart->addAxis(m_value, Qt::AlignLeft);

    m_line = new QLineSeries;
    m_line->setObjectName(QStringLiteral("threshold"));
    m_line->setName(tr("threshold"));
    m_chart->addSeries(m_line);
    m_line->attachAxis(m_time);
    m_line->attachAxis(m_value);
    setThresholdColor(Theme::color(QStringLiteral("red")));
}

void ThresholdChart::setThresholdColor(const QColor& color)
{
    QPen pen(color, 2, Qt::DashLine);
    m_line->setPen(pen);
}

void ThresholdChart::setSeries(const std::vector<EvaluatedSeries>& series, qint64 from, qint64 to)
{
    const int count = std::min<int>(kMaxSeries, int(series.size()));
    while (m_series.size() > count) {
        QLineSeries* s = m_series.takeLast();
        m_chart->removeSeries(s);
        delete s;
    }
    while (m_series.size() < count) {
        auto* s = new QLineSeries;
        s->setObjectName(QStringLiteral("data"));
        m_chart->addSeries(s);
        s->attachAxis(m_time);
        s->attachAxis(m_value);
        s->setPen(QPen(Theme::seriesColor(int(m_series.size())), 1.5));
        m_series << s;
    }
    m_from = from;
    m_to = std::max(to, from + 1);
    m_points = 0;
    m_dataMin = std::numeric_limits<double>::infinity();
    m_dataMax = -m_dataMin;
    for (int i = 0; i < count; ++i) {
        QList<QPointF> points;
        for (const Point& p : series[size_t(i)].points) {
            if (!std::isfinite(p.v))
                continue; // a gap, never a fake value
            points.append(QPointF(double(p.t), p.v));
            m_dataMin = std::min(m_dataMin, p.v);
            m_dataMax = std::max(m_dataMax, p.v);
        }
        m_points += int(points.size());
        m_series[i]->replace(points);
        m_series[i]->setName(series[size_t(i)].legend.isEmpty() ? tr("value")
                                                                : series[size_t(i)].legend);
    }
    if (m_points == 0)
        m_dataMin = m_dataMax = 0;
    m_chart->legend()->setVisible(count > 1);
    updateAxes();
}

void ThresholdChart::setThreshold(double value)
{
    if (!std::isfinite(value))
        return;
    m_threshold = value;
    // While dragging the axis stays put, or the line would run away from the pointer.
    if (!m_dragging)
        updateAxes();
    else
        updateLine();
}

void ThresholdChart::updateAxes()
{
    double lo = std::min(m_dataMin, m_threshold);
    double hi = std::max(m_dataMax, m_threshold);
    if (m_dataMin >= 0 && lo >= 0)
        lo = 0; // rates and sizes read best from zero
    if (hi - lo < 1e-12)
        hi = lo + 1;
    hi += (hi - lo) * 0.1;
    m_value->setRange(lo, hi);
    m_value->applyNiceNumbers();
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(m_from), QDateTime::fromMSecsSinceEpoch(m_to));
    updateLine();
}

void ThresholdChart::updateLine()
{
    m_line->replace({QPointF(double(m_from), m_threshold), QPointF(double(m_to), m_threshold)});
}

double ThresholdChart::valueSpan() const
{
    return m_value->max() - m_value->min();
}

QPoint ThresholdChart::thresholdPosition() const
{
    const double midT = (double(m_from) + double(m_to)) / 2;
    const QPointF chartPos = m_chart->mapToPosition(QPointF(midT, m_threshold), m_line);
    return mapFromScene(m_chart->mapToScene(chartPos));
}

bool ThresholdChart::nearLine(const QPointF& viewportPos) const
{
    const QPointF chartPos = m_chart->mapFromScene(mapToScene(viewportPos.toPoint()));
    if (!m_chart->plotArea().adjusted(0, -kGrabPixels, 0, kGrabPixels).contains(chartPos))
        return false;
    return std::abs(viewportPos.y() - thresholdPosition().y()) <= kGrabPixels;
}

void ThresholdChart::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && nearLine(event->position())) {
        m_dragging = true;
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void ThresholdChart::mouseMoveEvent(QMouseEvent* event)
{
    if (m_dragging) {
        const QPointF chartPos = m_chart->mapFromScene(mapToScene(event->position().toPoint()));
        // Clamp to the plot so a drag past the edge stops at the axis end.
        const QRectF plot = m_chart->plotArea();
        const QPointF clamped(chartPos.x(), std::clamp(chartPos.y(), plot.top(), plot.bottom()));
        const double value = m_chart->mapToValue(clamped, m_line).y();
        setThreshold(value);
        emit thresholdDragged(value);
        event->accept();
        return;
    }
    viewport()->setCursor(nearLine(event->position()) ? Qt::SizeVerCursor : Qt::ArrowCursor);
    QChartView::mouseMoveEvent(event);
}

void ThresholdChart::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_dragging && event->button() == Qt::LeftButton) {
        m_dragging = false;
        updateAxes();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void ThresholdChart::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    updateLine();
}

} // namespace querydeck
