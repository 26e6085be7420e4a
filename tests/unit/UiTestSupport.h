#pragma once

// Shared by the tst_ui_* tests: synthetic dashboards and panel data, and —
// until the `panels` branch provides PanelWidget.cpp — a minimal test-only
// PanelWidget so the shell can be tested on its own.

#include "panels/PanelWidget.h"
#include "telemetry/Dashboard.h"
#include "telemetry/PanelData.h"

#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

namespace querydeck::testing {

inline PanelType typeFor(int i)
{
    static const PanelType types[] = {PanelType::TimeSeries, PanelType::Stat, PanelType::Gauge,
                                      PanelType::Table};
    return types[i % 4];
}

// rows × panelsPerRow panels; panel ids "r<row>p<panel>".
inline DashboardDefinition makeDashboard(const QString& uid, int rows, int panelsPerRow,
                                         const QString& title = QStringLiteral("Synthetic"))
{
    static const char* rowTitles[] = {"System Health", "Traffic", "Performance",
                                      "Cache",         "Extra 1", "Extra 2"};
    static const char* units[] = {"percent", "bytes", "reqpm", "ms", "percentunit", "short"};
    DashboardDefinition d;
    d.uid = uid;
    d.title = title;
    for (int r = 0; r < rows; ++r) {
        RowDefinition row;
        row.title = QString::fromLatin1(rowTitles[r % 6]);
        for (int p = 0; p < panelsPerRow; ++p) {
            PanelDefinition panel;
            panel.id = QStringLiteral("r%1p%2").arg(r).arg(p);
            panel.title = QStringLiteral("%1 panel %2").arg(row.title).arg(p + 1);
            panel.type = typeFor(r + p);
            panel.unit = QString::fromLatin1(units[(r * panelsPerRow + p) % 6]);
            panel.targets = {PanelTarget{QStringLiteral("metric_%1_%2").arg(r).arg(p), {}}};
            panel.thresholds = {
                Threshold{-std::numeric_limits<double>::infinity(), QStringLiteral("green")},
                Threshold{70, QStringLiteral("amber")}, Threshold{90, QStringLiteral("red")}};
            panel.min = 0;
            panel.max = 100;
            row.panels.push_back(panel);
        }
        d.rows.push_back(row);
    }
    return d;
}

inline QList<PanelData> syntheticData(const DashboardDefinition& d, qint64 nowMs, int points = 120)
{
    QList<PanelData> all;
    int k = 0;
    for (const RowDefinition& row : d.rows) {
        for (const PanelDefinition& panel : row.panels) {
            PanelData data;
            data.panelId = panel.id;
            data.from = nowMs - points * 1000;
            data.to = nowMs;
            for (int s = 0; s < 2; ++s) {
                EvaluatedSeries series;
                series.legend = QStringLiteral("series %1").arg(s + 1);
                // Plausible magnitudes per unit, so the pictures look real.
                double scale = 1.0;
                if (panel.unit == QLatin1String("percentunit"))
                    scale = 0.01;
                else if (panel.unit == QLatin1String("bytes"))
                    scale = 4e6;
                else if (panel.unit == QLatin1String("reqpm"))
                    scale = 12;
                for (int i = 0; i < points; ++i) {
                    const double v =
                        scale * (50 + 30 * std::sin((i + 13 * k + 40 * s) / 12.0) + 5 * s);
                    series.points.push_back(Point{data.from + i * 1000, v});
                }
                data.series.push_back(std::move(series));
            }
            all.append(data);
            ++k;
        }
    }
    return all;
}

} // namespace querydeck::testing

#if !__has_include("Theme.h")
// Test-only stand-in for the panels branch's PanelWidget implementation: a
// title bar with a Maximise button and a label showing the last value.
namespace querydeck {
namespace {
class StubPanel final : public PanelWidget
{
public:
    StubPanel(const PanelDefinition& definition, QWidget* parent)
        : PanelWidget(definition, parent)
    {
        m_value = new QLabel(body());
        m_value->setAlignment(Qt::AlignCenter);
        auto* layout = new QVBoxLayout(body());
        layout->addWidget(m_value);
    }

protected:
    // Like the real panels: wall-mode titles 1.6× the panel's font.
    void changeEvent(QEvent* event) override
    {
        PanelWidget::changeEvent(event);
        if (event->type() == QEvent::FontChange && wallMode())
            if (auto* title = findChild<QLabel*>(QStringLiteral("panelTitle"))) {
                QFont f = font();
                f.setPointSizeF(f.pointSizeF() * 1.6);
                title->setFont(f);
            }
    }

    void updateBody() override
    {
        if (m_data.series.empty() || m_data.series.front().points.empty())
            m_value->setText(QStringLiteral("No data"));
        else
            m_value->setText(QString::number(m_data.series.front().points.back().v, 'f', 1));
    }

private:
    QLabel* m_value = nullptr;
};
} // namespace

PanelWidget::PanelWidget(const PanelDefinition& definition, QWidget* parent)
    : QFrame(parent)
    , m_definition(definition)
{
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    auto* title = new QLabel(definition.title, this);
    title->setObjectName(QStringLiteral("panelTitle"));
    auto* max = new QToolButton(this);
    max->setObjectName(QStringLiteral("panelMaximize"));
    max->setText(QStringLiteral("⤢"));
    connect(max, &QToolButton::clicked, this, [this] { emit maximizeRequested(m_definition.id); });
    bar->addWidget(title, 1);
    bar->addWidget(max);
    layout->addLayout(bar);
    m_body = new QWidget(this);
    layout->addWidget(m_body, 1);
}

void PanelWidget::setData(const PanelData& data)
{
    m_data = data;
    updateBody();
}

void PanelWidget::setWallMode(bool wall)
{
    m_wall = wall;
    if (QWidget* max = findChild<QWidget*>(QStringLiteral("panelMaximize")))
        max->setVisible(!wall);
}

PanelWidget* PanelWidget::create(const PanelDefinition& definition, QWidget* parent)
{
    return new StubPanel(definition, parent);
}
} // namespace querydeck
#endif
