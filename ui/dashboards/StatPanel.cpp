#include "ui/dashboards/StatPanel.h"

#include "ui/common/AlertColors.h"
#include "ui/common/Theme.h"

#include <QEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace querydeck {

StatPanel::StatPanel(const PanelDefinition& definition, QWidget* parent)
    : PanelWidget(definition, parent)
{
    body()->installEventFilter(this);
    body()->setMinimumHeight(fontMetrics().height() * 2);
    updateBody();
}

QColor StatPanel::valueColor() const
{
    const AlertRule* worst = nullptr;
    for (const AlertRule& rule : m_alertRules) {
        if (rule.breaches(m_value) && (!worst || int(rule.severity) < int(worst->severity)))
            worst = &rule;
    }
    return worst ? severityColor(worst->severity) : colorFor(m_value);
}

void StatPanel::updateBody()
{
    m_value = m_data.series.empty() ? std::numeric_limits<double>::quiet_NaN()
                                    : lastValue(m_data.series.front());
    m_text = formatValue(m_value);
    body()->update();
}

bool StatPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == body() && event->type() == QEvent::Paint) {
        paintBody();
        return true;
    }
    return PanelWidget::eventFilter(watched, event);
}

void StatPanel::paintBody()
{
    QPainter painter(body());
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF area = body()->rect();
    const QColor colour = valueColor();

    std::vector<Point> points;
    if (!m_data.series.empty()) {
        for (const Point& p : m_data.series.front().points) {
            if (std::isfinite(p.v))
                points.push_back(p);
        }
    }
    const bool spark = points.size() >= 2 && area.height() > fontMetrics().height() * 3;

    // The number takes the top part; the sparkline the bottom third.
    QRectF textArea = area;
    QRectF sparkArea;
    if (spark) {
        sparkArea = QRectF(area.left(), area.bottom() - area.height() * 0.38, area.width(),
                           area.height() * 0.38);
        textArea.setBottom(sparkArea.top());
    }

    // The number is drawn large and its unit smaller after it, as a unit
    // read at full size competes with the value. Both are fitted to the box.
    const bool empty = std::isnan(m_value);
    qsizetype split = 0;
    while (!empty && split < m_text.size() &&
           (m_text[split].isDigit() || m_text[split] == '.' || m_text[split] == '-'))
        ++split;
    const QString number = empty ? m_text : m_text.left(split);
    const QString suffix = empty ? QString() : m_text.mid(split);

    QFont valueFont = font();
    valueFont.setWeight(QFont::Medium);
    const double heightShare = empty ? 0.3 : (wallMode() ? 0.75 : 0.6);
    double pixels = std::max(1.0, textArea.height() * heightShare);
    auto widthAt = [&](double size) {
        QFont big = valueFont;
        big.setPixelSize(std::max(1, int(size)));
        QFont small = valueFont;
        small.setPixelSize(std::max(1, int(size * 0.55)));
        return QFontMetricsF(big).horizontalAdvance(number) +
               QFontMetricsF(small).horizontalAdvance(suffix);
    };
    const double allowed = textArea.width() * 0.85;
    const double width = widthAt(pixels);
    if (width > allowed && width > 0)
        pixels = std::max(1.0, pixels * allowed / width);

    QFont bigFont = valueFont;
    bigFont.setPixelSize(std::max(1, int(pixels)));
    QFont smallFont = valueFont;
    smallFont.setPixelSize(std::max(1, int(pixels * 0.55)));
    const QFontMetricsF bigMetrics(bigFont);
    const double total = widthAt(pixels);
    const double baseline =
        textArea.center().y() + (bigMetrics.ascent() - bigMetrics.descent()) / 2.0;
    const double left = textArea.center().x() - total / 2.0;
    painter.setPen(empty ? Theme::color(Theme::Role::MutedText) : colour);
    painter.setFont(bigFont);
    painter.drawText(QPointF(left, baseline), number);
    painter.setFont(smallFont);
    painter.drawText(QPointF(left + bigMetrics.horizontalAdvance(number), baseline), suffix);

    if (!spark)
        return;
    double lo = points.front().v;
    double hi = lo;
    for (const Point& p : points) {
        lo = std::min(lo, p.v);
        hi = std::max(hi, p.v);
    }
    if (hi - lo < 1e-12) {
        lo -= 1;
        hi += 1;
    }
    const double t0 = double(points.front().t);
    const double t1 = std::max(double(points.back().t), t0 + 1);
    const double pad = sparkArea.height() * 0.1;
    const QRectF plot = sparkArea.adjusted(0, pad, 0, 0);
    auto map = [&](const Point& p) {
        return QPointF(plot.left() + (double(p.t) - t0) / (t1 - t0) * plot.width(),
                       plot.bottom() - (p.v - lo) / (hi - lo) * plot.height());
    };
    QPolygonF line;
    line.reserve(qsizetype(points.size()));
    for (const Point& p : points)
        line << map(p);

    QPainterPath fill;
    fill.moveTo(line.first().x(), sparkArea.bottom());
    for (const QPointF& p : line)
        fill.lineTo(p);
    fill.lineTo(line.last().x(), sparkArea.bottom());
    fill.closeSubpath();
    QLinearGradient gradient(sparkArea.topLeft(), sparkArea.bottomLeft());
    QColor top = empty ? Theme::color(Theme::Role::MutedText) : colour;
    QColor bottom = top;
    top.setAlphaF(0.28);
    bottom.setAlphaF(0.02);
    gradient.setColorAt(0, top);
    gradient.setColorAt(1, bottom);
    painter.fillPath(fill, gradient);
    painter.setPen(
        QPen(colour, wallMode() ? 2.5 : 1.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter.drawPolyline(line);
}

} // namespace querydeck
