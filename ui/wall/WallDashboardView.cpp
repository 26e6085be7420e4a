#include "ui/wall/WallDashboardView.h"

#include "ui/dashboards/PanelWidget.h"

#include <QAbstractScrollArea>
#include <QLabel>
#include <QResizeEvent>
#include <QTimer>
#include <algorithm>

namespace querydeck {

namespace {
constexpr int kMinPanelFontPixels = 12;
} // namespace

WallDashboardView::WallDashboardView(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("wallDashboard"));
    // Once per turn of the event loop: a resize and a show coalesce, and the
    // widths are read after every geometry of that turn is set.
    m_widthCheck = new QTimer(this);
    m_widthCheck->setSingleShot(true);
    m_widthCheck->setInterval(0);
    connect(m_widthCheck, &QTimer::timeout, this, &WallDashboardView::checkWidths);
}

void WallDashboardView::setDashboard(const DashboardDefinition& dashboard)
{
    for (Row& row : m_rows) {
        delete row.title;
        for (Line& line : row.lines)
            qDeleteAll(line.panels);
    }
    m_rows.clear();
    m_panels.clear();
    m_dashboard = dashboard;

    for (const RowDefinition& rdef : dashboard.rows) {
        Row row;
        row.title = new QLabel(rdef.title, this);
        row.title->setObjectName(QStringLiteral("wallRowTitle"));
        Line line;
        int used = 0;
        for (const PanelDefinition& pdef : rdef.panels) {
            const int span = std::clamp(pdef.span, 1, kColumns);
            if (used + span > kColumns && !line.panels.isEmpty()) {
                row.lines.append(line);
                line = {};
                used = 0;
            }
            PanelWidget* panel = PanelWidget::create(pdef, this);
            panel->setWallMode(true);
            panel->setAlertRules(m_alertRules);
            // Nobody scrolls a wall: a table that does not fit is cut, not scrolled.
            for (QAbstractScrollArea* area : panel->findChildren<QAbstractScrollArea*>()) {
                area->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
                area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
            }
            line.panels.append(panel);
            line.spans.append(span);
            used += span;
            m_panels.insert(pdef.id, panel);
        }
        if (!line.panels.isEmpty())
            row.lines.append(line);
        m_rows.append(row);
    }
    setFontPixelSizes(m_fontPixels, m_panelPixels);
    for (PanelWidget* p : std::as_const(m_panels))
        p->show();
    for (Row& row : m_rows)
        row.title->show();
    relayout();
    // The caller hands out panelQueries() for the new dashboard itself.
    m_reportedWidths = panelWidths();
}

void WallDashboardView::setAlertRules(const std::vector<AlertRule>& rules)
{
    m_alertRules = rules;
    for (PanelWidget* panel : std::as_const(m_panels))
        panel->setAlertRules(rules);
}

QList<PanelQuery> WallDashboardView::panelQueries() const
{
    const QHash<QString, int> widths = panelWidths();
    QList<PanelQuery> queries;
    for (const RowDefinition& row : m_dashboard.rows)
        for (const PanelDefinition& panel : row.panels)
            queries.append(PanelQuery{panel.id, panel.targets, widths.value(panel.id)});
    return queries;
}

QHash<QString, int> WallDashboardView::panelWidths() const
{
    QHash<QString, int> widths;
    for (auto it = m_panels.cbegin(); it != m_panels.cend(); ++it)
        widths.insert(it.key(), it.value()->isVisible() ? it.value()->width() : 0);
    return widths;
}

void WallDashboardView::checkWidths()
{
    QHash<QString, int> widths = panelWidths();
    if (widths == m_reportedWidths)
        return;
    m_reportedWidths = std::move(widths);
    emit panelWidthsChanged();
}

QList<PanelWidget*> WallDashboardView::panels() const
{
    QList<PanelWidget*> all;
    for (const Row& row : m_rows)
        for (const Line& line : row.lines)
            all.append(line.panels);
    return all;
}

void WallDashboardView::setFontPixelSizes(int rowTitle, int panel)
{
    m_fontPixels = std::max(kMinPanelFontPixels, rowTitle);
    m_panelPixels = std::max(kMinPanelFontPixels, panel);
    QFont rowFont = font();
    rowFont.setPixelSize(m_fontPixels);
    rowFont.setBold(true);
    for (Row& row : m_rows)
        row.title->setFont(rowFont);
    // Panels scale their own chrome from the point size (wall titles larger
    // still), so hand them points, not pixels.
    QFont panelFont = font();
    panelFont.setPointSizeF(m_panelPixels * 72.0 / std::max(1, logicalDpiY()));
    for (PanelWidget* p : std::as_const(m_panels))
        p->setFont(panelFont);
    relayout();
}

void WallDashboardView::showPanelData(const QList<PanelData>& data)
{
    for (const PanelData& d : data)
        if (PanelWidget* p = m_panels.value(d.panelId))
            p->setData(d);
}

void WallDashboardView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void WallDashboardView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_widthCheck->start();
}

void WallDashboardView::relayout()
{
    if (m_rows.isEmpty())
        return;
    // Chrome kept tight: on a 4-row wall every pixel of height goes to charts.
    const int gap = std::max(4, m_fontPixels / 4);
    const int titleHeight = m_fontPixels + m_fontPixels / 3;
    int lines = 0;
    for (const Row& row : m_rows)
        lines += int(row.lines.size());
    const int rows = int(m_rows.size());
    const int fixed = rows * (titleHeight + gap) + std::max(0, lines - 1) * gap;
    const int lineHeight = lines > 0 ? std::max(1, (height() - fixed) / lines) : 0;

    int y = 0;
    for (const Row& row : m_rows) {
        row.title->setGeometry(0, y, width(), titleHeight);
        y += titleHeight + gap;
        for (const Line& line : row.lines) {
            int spanSum = 0;
            for (int s : line.spans)
                spanSum += s;
            const int n = int(line.panels.size());
            const int available = width() - (n - 1) * gap;
            int x = 0;
            int spanDone = 0;
            for (int i = 0; i < n; ++i) {
                spanDone += line.spans[i];
                // Cumulative rounding: the last panel ends exactly at the edge.
                const int right = (available * spanDone) / spanSum + i * gap;
                line.panels[i]->setGeometry(x, y, right - x, lineHeight);
                x = right + gap;
            }
            y += lineHeight + gap;
        }
    }
    m_widthCheck->start();
}

} // namespace querydeck
