#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

class QApplication;

namespace querydeck {

// The console's look: a Grafana-like dark theme (default) and a light one.
// Holds the current mode, builds the palettes and a small stylesheet, and
// names the colours panels draw with (thresholds, series, chrome). GUI
// thread only.
class Theme
{
public:
    enum class Mode
    {
        Dark,
        Light
    };

    enum class Role
    {
        Background,  // window / dashboard canvas
        Panel,       // panel body
        PanelBorder, // 1px panel outline
        Text,        // primary text
        MutedText,   // panel titles, axis labels
        Grid,        // chart grid lines
        Track,       // gauge track, sparkline fill base
        Tooltip,     // tooltip / menu background
        Focus        // keyboard focus ring
    };

    static void apply(QApplication& app, Mode mode);
    static Mode current();

    // Threshold colour by name: green, amber (or yellow), red, blue, grey,
    // orange, purple, or "#rrggbb"; unknown names give grey. Follows the mode.
    static QColor color(const QString& name);
    static QColor color(Role role);
    // Distinct line colours for series 0, 1, 2, ... (wraps).
    static QColor seriesColor(int index);

    static QPalette palette(Mode mode);
    static QString styleSheet(Mode mode);

private:
    static QColor color(Role role, Mode mode);
};

} // namespace querydeck
