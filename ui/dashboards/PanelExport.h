#pragma once

#include <QString>

namespace querydeck {

class PanelWidget;

// Saves a panel as it looks on screen to a PNG, at the screen's device
// pixel ratio (a 400×300 panel on a 2x screen gives 800×600). GUI thread only.
class PanelExport
{
public:
    // Returns an empty string on success, otherwise what went wrong.
    static QString toPng(PanelWidget* panel, const QString& path);
};

} // namespace querydeck
