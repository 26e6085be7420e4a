#include "ui/dashboards/TimeSeriesPanel.h"

#include "backend/dashboards/UnitFormat.h"
#include "ui/common/AlertColors.h"
#include "ui/common/Theme.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QGridLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace querydeck {

namespace {

QFont scaledFont(const QFont& base, double factor)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * factor);
    return font;
}

// Time-of-day format for a visible span: seconds only when they matter.
QString timeFormatFor(qint64 spanMs)
{
    if (spanMs <= 3 * 60 * 1000)
        return QStringLiteral("HH:mm:ss");
    if (spanMs <= 36LL * 3600 * 1000)
        return QStringLiteral("HH:mm");
    return QStringLiteral("MM-dd HH:mm");
}

} // namespace

TimeSeriesPanel::TimeSeriesPanel(const PanelDefinition& definition, QWidget* parent)
    : PanelWidget(definition, parent)
{
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundVisible(false);
    m_chart->setPlotAreaBackgroundVisible(false);
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(0, 0, 0, 0));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    m_chart->legend()->setShowToolTips(true);

    m_timeAxis = new QDateTimeAxis(m_chart);
    m_timeAxis->setLineVisible(false);
    m_timeAxis->setGridLineVisible(false);
    m_valueAxis = new QCategoryAxis(m_chart);
    m_valueAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_valueAxis->setLineVisible(false);
    m_valueAxis->setMinorGridLineVisible(false);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);

    m_view = new QChartView(m_chart, body());
    m_view->setObjectName(QStringLiteral("chartView"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setFocusPolicy(Qt::NoFocus);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->viewport()->setMouseTracking(true);
    m_view->viewport()->installEventFilter(this);

    m_noData = new QLabel(tr("No data"), body());
    m_noData->setObjectName(QStringLiteral("noDataLabel"));
    m_noData->setAlignment(Qt::AlignCenter);
    m_noData->setAttribute(Qt::WA_TransparentForMouseEvents);

    // The label shares the chart's cell so it floats centred over the plot.
    auto* grid = new QGridLayout(body());
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_view, 0, 0);
    grid->addWidget(m_noData, 0, 0, Qt::AlignCenter);

    createThresholds();
    applyTheme();
    updateBody();
}

QList<QAbstractSeries*> TimeSeriesPanel::thresholdSeries() const
{
    QList<QAbstractSeries*> result;
    for (const Band& band : m_bands) {
        if (band.line)
            result << band.line;
        result << band.area;
    }
    return result;
}

bool TimeSeriesPanel::showsNoData() const
{
    return !m_noData->isHidden();
}

void TimeSeriesPanel::createThresholds()
{
    const auto& steps = m_definition.thresholds;
    for (size_t i = 0; i < steps.size(); ++i) {
        Band band;
        band.from = steps[i].value;
        band.color = steps[i].color;
        band.to =
            i + 1 < steps.size() ? steps[i + 1].value : std::numeric_limits<double>::infinity();
        // The base step (-inf) gets no line and no fill: the plot stays calm until a limit.
        if (!std::isfinite(band.from))
            continue;
        band.upper = new QLineSeries(m_chart);
        band.lower = new QLineSeries(m_chart);
        band.area = new QAreaSeries(band.upper, band.lower);
        band.area->setObjectName(QStringLiteral("thresholdBand:%1").arg(band.from));
        band.line = new QLineSeries;
        band.line->setObjectName(QStringLiteral("threshold:%1").arg(band.from));
        m_chart->addSeries(band.area);
        m_bands.push_back(band);
    }
    // Lines after bands so they draw on top of every fill.
    for (const Band& band : m_bands)
        m_chart->addSeries(band.line);
    for (const Band& band : m_bands) {
        for (QAbstractSeries* series :
             {static_cast<QAbstractSeries*>(band.area), static_cast<QAbstractSeries*>(band.line)}) {
            series->attachAxis(m_timeAxis);
            series->attachAxis(m_valueAxis);
            for (QLegendMarker* marker : m_chart->legend()->markers(series))
                marker->setVisible(false);
        }
    }
}

std::vector<int> TimeSeriesPanel::visibleSeries()
{
    std::vector<int> order;
    for (int i = 0; i < int(m_data.series.size()); ++i)
        order.push_back(i);
    if (int(order.size()) <= MaxSeries) {
        setNotice({}, {});
        return order;
    }
    // Too many lines are unreadable: keep the largest ones, name the rest in a note.
    auto peak = [this](int index) {
        double best = -std::numeric_limits<double>::infinity();
        for (const Point& p : m_data.series[size_t(index)].points) {
            if (std::isfinite(p.v))
                best = std::max(best, p.v);
        }
        return best;
    };
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return peak(a) > peak(b); });
    QStringList dropped;
    for (size_t i = MaxSeries; i < order.size(); ++i)
        dropped << m_data.series[size_t(order[i])].legend;
    order.resize(MaxSeries);
    std::sort(order.begin(), order.end());
    setNotice(tr("+%1 hidden").arg(dropped.size()),
              tr("Only the %1 largest series are drawn. Not shown: %2")
                  .arg(MaxSeries)
                  .arg(dropped.join(QStringLiteral(", "))));
    return order;
}

void TimeSeriesPanel::updateBody()
{
    m_shown = visibleSeries();

    const bool restyle = m_series.size() != int(m_shown.size());
    while (m_series.size() > int(m_shown.size())) {
        QLineSeries* series = m_series.takeLast();
        m_chart->removeSeries(series);
        delete series;
    }
    while (m_series.size() < int(m_shown.size())) {
        auto* series = new QLineSeries;
        series->setObjectName(QStringLiteral("data"));
        m_chart->addSeries(series);
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_valueAxis);
        m_series << series;
    }

    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    qint64 first = std::numeric_limits<qint64>::max();
    qint64 last = std::numeric_limits<qint64>::min();
    int pointCount = 0;
    for (int i = 0; i < m_series.size(); ++i) {
        const EvaluatedSeries& source = m_data.series[size_t(m_shown[size_t(i)])];
        QList<QPointF> points;
        points.reserve(qsizetype(source.points.size()));
        for (const Point& p : source.points) {
            // Qt Charts cannot draw NaN; a gap is better than a fake value.
            if (!std::isfinite(p.v))
                continue;
            points.append(QPointF(double(p.t), p.v));
            lo = std::min(lo, p.v);
            hi = std::max(hi, p.v);
            first = std::min(first, p.t);
            last = std::max(last, p.t);
        }
        pointCount += int(points.size());
        m_series[i]->replace(points);
        m_series[i]->setName(source.legend.isEmpty() ? m_definition.title : source.legend);
    }
    m_chart->legend()->setVisible(m_series.size() > 1);
    hideLineMarkers();

    m_from = m_data.from > 0 ? m_data.from : (pointCount > 0 ? first : 0);
    m_to = m_data.to > m_from ? m_data.to : (pointCount > 0 ? std::max(last, m_from + 1) : 1);
    if (m_to <= m_from)
        m_to = m_from + 1;

    if (pointCount == 0) {
        lo = 0;
        hi = 1;
    }
    if (std::isfinite(m_definition.min))
        lo = m_definition.min;
    else if (lo >= 0)
        lo = 0; // rates and sizes read best from zero
    if (std::isfinite(m_definition.max))
        hi = m_definition.max;
    else if (hi <= lo)
        hi = lo + 1;
    else {
        const double peak = hi;
        hi += (hi - lo) * 0.05; // headroom so peaks do not touch the title
        if (m_definition.unit == u"percent" && peak <= 100)
            hi = std::min(hi, 100.0);
    }
    m_yMin = lo;
    m_yMax = hi;

    m_noData->setVisible(pointCount == 0);
    updateAxes();
    if (restyle) // pens and fonts only change with the series set or the theme
        applyTheme();
}

void TimeSeriesPanel::updateAxes()
{
    const QFontMetrics metrics(m_valueAxis->labelsFont());
    const int plotHeight = std::max(1, int(m_chart->plotArea().height()) > 0
                                           ? int(m_chart->plotArea().height())
                                           : m_view->height() - metrics.height() * 3);
    const int maxTicks = std::clamp(plotHeight / (metrics.height() * 2), 2, 8);
    QList<double> ticks = UnitFormat::niceTicks(m_yMin, m_yMax, maxTicks, m_definition.unit);
    double axisMin = m_yMin;
    double axisMax = m_yMax;
    if (ticks.size() >= 2) {
        const double step = ticks[1] - ticks[0];
        // End the axis on a labelled grid line unless the definition fixed it.
        if (!std::isfinite(m_definition.max) && ticks.last() < m_yMax - step * 1e-9) {
            ticks << ticks.last() + step;
            if (m_definition.unit == u"percent" && ticks.last() > 100 && m_yMax <= 100)
                ticks.last() = 100;
        }
        if (!std::isfinite(m_definition.max))
            axisMax = ticks.last();
        if (!std::isfinite(m_definition.min) && ticks.first() > m_yMin)
            ticks.prepend(ticks.first() - step);
        if (!std::isfinite(m_definition.min))
            axisMin = std::min(axisMin, ticks.first());
    }
    if (ticks != m_ticks || m_valueAxis->min() != axisMin || m_valueAxis->max() != axisMax) {
        m_ticks = ticks;
        for (const QString& label : m_valueAxis->categoriesLabels())
            m_valueAxis->remove(label);
        const QStringList labels = UnitFormat::axisLabels(ticks, m_definition.unit);
        const double epsilon = (axisMax - axisMin) * 1e-9;
        m_valueAxis->setStartValue(axisMin - epsilon);
        double previous = axisMin - epsilon;
        for (int i = 0; i < ticks.size(); ++i) {
            if (ticks[i] <= previous || ticks[i] < axisMin - epsilon ||
                ticks[i] > axisMax + epsilon)
                continue;
            if (m_valueAxis->categoriesLabels().contains(labels[i]))
                continue; // QCategoryAxis needs unique labels
            m_valueAxis->append(labels[i], ticks[i]);
            previous = ticks[i];
        }
        m_valueAxis->setRange(axisMin, axisMax);
    }
    m_axisMin = axisMin;
    m_axisMax = axisMax;

    const qint64 span = m_to - m_from;
    m_timeAxis->setFormat(timeFormatFor(span));
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(m_from),
                         QDateTime::fromMSecsSinceEpoch(m_to));
    const QFontMetrics timeMetrics(m_timeAxis->labelsFont());
    const int labelWidth = timeMetrics.horizontalAdvance(timeFormatFor(span) + "00");
    const int plotWidth =
        std::max(1, int(m_chart->plotArea().width()) > 0 ? int(m_chart->plotArea().width())
                                                         : m_view->width() - labelWidth);
    m_timeAxis->setTickCount(std::clamp(plotWidth / (labelWidth * 2) + 1, 2, 10));
    updateThresholds();
}

void TimeSeriesPanel::updateThresholds()
{
    const double from = double(m_from);
    const double to = double(m_to);
    const bool any = !m_series.isEmpty() && !showsNoData();
    for (const Band& band : m_bands) {
        const double bottom = std::clamp(band.from, m_axisMin, m_axisMax);
        const double top = std::clamp(band.to, m_axisMin, m_axisMax);
        const bool inView = any && band.from < m_axisMax && band.from >= m_axisMin;
        band.lower->replace({QPointF(from, bottom), QPointF(to, bottom)});
        band.upper->replace({QPointF(from, top), QPointF(to, top)});
        band.line->replace({QPointF(from, band.from), QPointF(to, band.from)});
        band.area->setVisible(any && top > bottom);
        band.line->setVisible(inView);
    }
    for (int i = 0; i < m_ruleLines.size(); ++i) {
        const double value = m_alertRules[size_t(i)].threshold;
        m_ruleLines[i]->replace({QPointF(from, value), QPointF(to, value)});
        m_ruleLines[i]->setVisible(any && value >= m_axisMin && value <= m_axisMax);
    }
    // A legend marker follows its series' visibility: hide them again after the above.
    hideLineMarkers();
}

void TimeSeriesPanel::hideLineMarkers()
{
    for (QLegendMarker* marker : m_chart->legend()->markers()) {
        for (const Band& band : m_bands)
            if (marker->series() == band.area || marker->series() == band.line)
                marker->setVisible(false);
        if (m_ruleLines.contains(marker->series()))
            marker->setVisible(false);
    }
}

void TimeSeriesPanel::alertRulesChanged()
{
    for (QLineSeries* line : std::as_const(m_ruleLines)) {
        m_chart->removeSeries(line); // a series must leave its chart before it dies
        delete line;
    }
    m_ruleLines.clear();
    for (const AlertRule& rule : m_alertRules) {
        auto* line = new QLineSeries;
        line->setObjectName(QStringLiteral("alert:%1").arg(rule.name));
        line->setName(QStringLiteral("%1 %2 %3")
                          .arg(rule.name, comparatorSymbol(rule.comparator),
                               QString::number(rule.threshold, 'g', 6)));
        m_chart->addSeries(line);
        line->attachAxis(m_timeAxis);
        line->attachAxis(m_valueAxis);
        for (QLegendMarker* marker : m_chart->legend()->markers(line))
            marker->setVisible(false);
        m_ruleLines << line;
    }
    applyTheme();
    updateThresholds();
}

void TimeSeriesPanel::applyTheme()
{
    // The wall already scales the panel font to the screen; axis labels
    // stay at that size so they never crowd a short plot.
    const double factor = wallMode() ? 0.9 : 0.85;
    const QFont labelFont = scaledFont(font(), factor);
    const QColor muted = Theme::color(Theme::Role::MutedText);
    const QColor grid = Theme::color(Theme::Role::Grid);

    m_view->setBackgroundBrush(Theme::color(Theme::Role::Panel));
    // Room above the plot for the top tick label, which is centred on its grid line.
    const int line = QFontMetrics(labelFont).height();
    // and below it for the bottom label, so it clears the time labels.
    m_chart->setMargins(QMargins(0, line / 2, line / 2, line / 2));
    for (QAbstractAxis* axis :
         {static_cast<QAbstractAxis*>(m_timeAxis), static_cast<QAbstractAxis*>(m_valueAxis)}) {
        axis->setLabelsFont(labelFont);
        axis->setLabelsColor(muted);
        axis->setGridLineColor(grid);
    }
    m_valueAxis->setGridLinePen(QPen(grid, 1));
    m_chart->legend()->setFont(labelFont);
    m_chart->legend()->setLabelColor(Theme::color(Theme::Role::Text));

    QPalette noData = m_noData->palette();
    noData.setColor(QPalette::WindowText, muted);
    m_noData->setPalette(noData);
    m_noData->setFont(scaledFont(font(), wallMode() ? 2.0 : 1.2));

    const qreal lineWidth = wallMode() ? 2.5 : 1.5;
    for (int i = 0; i < m_series.size(); ++i) {
        QPen pen(Theme::seriesColor(i), lineWidth);
        pen.setCapStyle(Qt::RoundCap);
        pen.setJoinStyle(Qt::RoundJoin);
        m_series[i]->setPen(pen);
    }
    for (int i = 0; i < m_ruleLines.size(); ++i) {
        QPen pen(severityColor(m_alertRules[size_t(i)].severity), wallMode() ? 2.5 : 1.5,
                 Qt::DashLine);
        pen.setDashPattern({6, 4});
        m_ruleLines[i]->setPen(pen);
    }
    for (size_t i = 0; i < m_bands.size(); ++i) {
        const QColor colour = Theme::color(m_bands[i].color);
        QPen dash(colour, 1, Qt::DashLine);
        m_bands[i].line->setPen(dash);
        QColor fill = colour;
        fill.setAlphaF(Theme::current() == Theme::Mode::Dark ? 0.10 : 0.12);
        m_bands[i].area->setBrush(fill);
        m_bands[i].area->setPen(Qt::NoPen);
    }
}

void TimeSeriesPanel::themeChanged()
{
    if (m_chart)
        applyTheme();
}

void TimeSeriesPanel::setWallMode(bool wall)
{
    PanelWidget::setWallMode(wall);
    applyTheme();
}

QString TimeSeriesPanel::hoverText(qint64 t) const
{
    if (m_series.isEmpty() || showsNoData())
        return {};
    QString html =
        QStringLiteral("<b>%1</b>")
            .arg(QDateTime::fromMSecsSinceEpoch(t).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"1\">");
    for (int i = 0; i < m_series.size(); ++i) {
        const auto& points = m_data.series[size_t(m_shown[size_t(i)])].points;
        if (points.empty())
            continue;
        auto it = std::lower_bound(points.begin(), points.end(), t,
                                   [](const Point& p, qint64 when) { return p.t < when; });
        if (it == points.end())
            --it;
        else if (it != points.begin() && (t - std::prev(it)->t) < (it->t - t))
            --it;
        html += QStringLiteral("<tr><td><span style=\"color:%1\">━</span> %2&nbsp;&nbsp;</td>"
                               "<td align=\"right\"><b>%3</b></td></tr>")
                    .arg(Theme::seriesColor(i).name(), m_series[i]->name().toHtmlEscaped(),
                         formatValue(it->v).toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    return html;
}

bool TimeSeriesPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (m_view && watched == m_view->viewport()) {
        if (event->type() == QEvent::MouseMove) {
            const auto* mouse = static_cast<QMouseEvent*>(event);
            const QPointF scenePos = m_view->mapToScene(mouse->position().toPoint());
            const QPointF chartPos = m_chart->mapFromScene(scenePos);
            if (m_chart->plotArea().contains(chartPos)) {
                const QPointF value = m_chart->mapToValue(chartPos);
                const QString text = hoverText(qint64(value.x()));
                if (!text.isEmpty())
                    QToolTip::showText(mouse->globalPosition().toPoint(), text, m_view);
            } else {
                QToolTip::hideText();
            }
        } else if (event->type() == QEvent::Leave) {
            QToolTip::hideText();
        } else if (event->type() == QEvent::Resize) {
            updateAxes();
        }
    }
    return PanelWidget::eventFilter(watched, event);
}

} // namespace querydeck
