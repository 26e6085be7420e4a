#include "ui/dashboards/GaugePanel.h"

#include "backend/dashboards/UnitFormat.h"
#include "ui/common/Theme.h"

#include <QEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace querydeck {

namespace {

constexpr double StartAngle = 210.0; // degrees, counter-clockwise from 3 o'clock
constexpr double Sweep = 240.0;

} // namespace

GaugePanel::GaugePanel(const PanelDefinition& definition, QWidget* parent)
    : PanelWidget(definition, parent)
{
    body()->installEventFilter(this);
    body()->setMinimumHeight(fontMetrics().height() * 3);
    updateBody();
}

double GaugePanel::fraction() const
{
    if (!std::isfinite(m_value) || m_max <= m_min)
        return 0.0;
    return std::clamp((m_value - m_min) / (m_max - m_min), 0.0, 1.0);
}

void GaugePanel::updateRange()
{
    const QString& unit = m_definition.unit;
    m_min = std::isfinite(m_definition.min) ? m_definition.min : 0.0;
    if (std::isfinite(m_definition.max)) {
        m_max = m_definition.max;
    } else if (unit == u"percent") {
        m_max = 100.0;
    } else if (unit == u"percentunit") {
        m_max = 1.0;
    } else {
        // No fixed maximum: leave room above the highest threshold and the value.
        double top = std::isfinite(m_value) ? m_value : 0.0;
        for (const Threshold& step : m_definition.thresholds) {
            if (std::isfinite(step.value))
                top = std::max(top, step.value * 1.25);
        }
        const QList<double> ticks = UnitFormat::niceTicks(m_min, std::max(top, m_min + 1), 5, unit);
        m_max = ticks.isEmpty() ? m_min + 1 : std::max(ticks.last(), top);
    }
    if (m_max <= m_min)
        m_max = m_min + 1;
}

void GaugePanel::updateBody()
{
    m_value = m_data.series.empty() ? std::numeric_limits<double>::quiet_NaN()
                                    : lastValue(m_data.series.front());
    m_text = formatValue(m_value);
    updateRange();
    body()->update();
}

bool GaugePanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == body() && event->type() == QEvent::Paint) {
        paintBody();
        return true;
    }
    return PanelWidget::eventFilter(watched, event);
}

void GaugePanel::paintBody()
{
    QPainter painter(body());
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF area = body()->rect();

    // A 240° arc spans 2r wide and 1.5r tall (the ends sit r/2 below the centre).
    const double radius = std::max(1.0, std::min(area.width() / 2.0, area.height() / 1.5) * 0.86);
    const QPointF centre(area.center().x(), area.center().y() + radius * 0.25);
    const double ring = std::max(2.0, radius * 0.05);
    const double gap = std::max(1.5, radius * 0.03);
    const double thickness = std::max(4.0, radius * 0.17);

    auto arcRect = [&](double r) { return QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r); };
    auto angleAt = [&](double value) {
        const double f = std::clamp((value - m_min) / (m_max - m_min), 0.0, 1.0);
        return StartAngle - f * Sweep;
    };
    auto drawArc = [&](double r, double width, const QColor& colour, double fromAngle,
                       double toAngle) {
        if (std::abs(toAngle - fromAngle) < 1e-6)
            return;
        painter.setPen(QPen(colour, width, Qt::SolidLine, Qt::FlatCap));
        painter.setBrush(Qt::NoBrush);
        painter.drawArc(arcRect(r), int(std::lround(fromAngle * 16)),
                        int(std::lround((toAngle - fromAngle) * 16)));
    };

    // Outer ring: one segment per threshold step.
    const double ringRadius = radius - ring / 2;
    const auto& steps = m_definition.thresholds;
    if (steps.empty()) {
        drawArc(ringRadius, ring, Theme::color(QStringLiteral("green")), StartAngle,
                StartAngle - Sweep);
    }
    for (size_t i = 0; i < steps.size(); ++i) {
        const double from = std::isfinite(steps[i].value) ? steps[i].value : m_min;
        const double to = i + 1 < steps.size() ? steps[i + 1].value : m_max;
        if (to <= m_min || from >= m_max)
            continue;
        drawArc(ringRadius, ring, Theme::color(steps[i].color), angleAt(from), angleAt(to));
    }

    // Track and value arc.
    const double arcRadius = radius - ring - gap - thickness / 2;
    drawArc(arcRadius, thickness, Theme::color(Theme::Role::Track), StartAngle, StartAngle - Sweep);
    const bool empty = !std::isfinite(m_value);
    if (!empty)
        drawArc(arcRadius, thickness, valueColor(), StartAngle, StartAngle - fraction() * Sweep);

    // Range ends under the arc's tips, small and muted, so the scale can be read.
    QFont rangeFont = font();
    rangeFont.setPixelSize(std::max(1, int(std::lround(radius * 0.09))));
    if (rangeFont.pixelSize() >= 6) {
        painter.setFont(rangeFont);
        painter.setPen(Theme::color(Theme::Role::MutedText));
        const double tipY = centre.y() + arcRadius * 0.5 + thickness * 0.5;
        const double tipX = arcRadius * std::cos(M_PI / 6.0);
        const double boxWidth = thickness * 3;
        const double boxHeight = QFontMetricsF(rangeFont).height();
        painter.drawText(QRectF(centre.x() - tipX - boxWidth / 2, tipY, boxWidth, boxHeight),
                         Qt::AlignCenter, UnitFormat::format(m_min, m_definition.unit));
        painter.drawText(QRectF(centre.x() + tipX - boxWidth / 2, tipY, boxWidth, boxHeight),
                         Qt::AlignCenter, UnitFormat::format(m_max, m_definition.unit));
    }

    // Value text inside the arc, fitted to its inner width.
    const double inner = std::max(1.0, (arcRadius - thickness / 2) * 2 * 0.8);
    QFont valueFont = font();
    valueFont.setWeight(QFont::Medium);
    double pixels = std::max(1.0, radius * (empty ? 0.22 : 0.42));
    valueFont.setPixelSize(int(pixels));
    const double width = QFontMetricsF(valueFont).horizontalAdvance(m_text);
    if (width > inner) {
        pixels = std::max(1.0, pixels * inner / width);
        valueFont.setPixelSize(int(pixels));
    }
    painter.setFont(valueFont);
    painter.setPen(empty ? Theme::color(Theme::Role::MutedText) : valueColor());
    const QRectF textBox(centre.x() - inner / 2, centre.y() - pixels, inner, pixels * 1.6);
    painter.drawText(textBox, Qt::AlignCenter, m_text);
}

} // namespace querydeck
