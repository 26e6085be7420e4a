#pragma once

// Shared by the tst_ui_* tests: synthetic dashboards and panel data.

#include "backend/dashboards/Dashboard.h"
#include "backend/dashboards/PanelData.h"

#include <QDateTime>
#include <QDir>
#include <QTest>
#include <QTimer>
#include <cmath>

namespace querydeck::testing {

// Runs `turns` whole passes of the GUI event loop, each one marked by a
// queued call of ours that is checked only after the pass returns (a pass
// sends the posted events, then fires the due timers): work the code under
// test queued before it (posted layout and resize events, zero-interval timers
// such as the wall's width check) has run when this returns. Used instead of a fixed sleep before
// a screenshot, and before negative checks ("nothing more was sent"): three
// turns cover a posted event that starts a zero timer that posts again.
// False only if the loop could not turn (a wedged GUI thread).
inline bool runQueuedWork(int turns = 3)
{
    for (int turn = 0; turn < turns; ++turn) {
        bool reached = false;
        QTimer::singleShot(0, [&reached] { reached = true; });
        if (!QTest::qWaitFor([&reached] { return reached; }, 10000))
            return false;
    }
    return true;
}

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
                else if (panel.unit == QLatin1String("bytes/s"))
                    scale = 2e5;
                else if (panel.unit == QLatin1String("reqpm"))
                    scale = 12;
                else if (panel.unit == QLatin1String("s"))
                    scale = 0.004;
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
