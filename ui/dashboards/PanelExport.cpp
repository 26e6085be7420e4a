#include "ui/dashboards/PanelExport.h"

#include "ui/dashboards/PanelWidget.h"

#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QPixmap>

namespace querydeck {

QString PanelExport::toPng(PanelWidget* panel, const QString& path)
{
    if (!panel)
        return QStringLiteral("no panel to export");
    if (path.isEmpty())
        return QStringLiteral("no file name given for the PNG export");
    const QFileInfo info(path);
    if (!info.absoluteDir().exists())
        return QStringLiteral("cannot export to %1: folder %2 does not exist")
            .arg(path, info.absolutePath());
    if (panel->width() <= 0 || panel->height() <= 0)
        return QStringLiteral("panel %1 has no size yet").arg(panel->definition().id);

    // grab() renders at the widget's device pixel ratio, so HiDPI exports stay sharp.
    const QPixmap pixmap = panel->grab();
    if (pixmap.isNull())
        return QStringLiteral("could not render panel %1").arg(panel->definition().id);
    QImageWriter writer(path, "png");
    if (!writer.write(pixmap.toImage()))
        return QStringLiteral("cannot write %1: %2").arg(path, writer.errorString());
    return {};
}

} // namespace querydeck
