#include "app/ConsoleOptions.h"

#include "backend/common/IntegerOption.h"

#include <QRegularExpression>
#include <cmath>

namespace querydeck {

void ConsoleOptions::addTo(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("wall"),
                      QStringLiteral("Monitoring wall: fullscreen, read-only, rotating dashboards. "
                                     "Leave with Ctrl+Shift+Q.")});
    parser.addOption({QStringLiteral("screen"), QStringLiteral("Monitor to use (0, 1, ...)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("size"),
                      QStringLiteral("Window size for --screenshot, e.g. 1920x1080."),
                      QStringLiteral("WxH")});
    parser.addOption({QStringLiteral("screenshot"),
                      QStringLiteral("Start as usual (traffic generator on), wait until the panels "
                                     "have data, save the window as a PNG and exit 0."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("after"),
                      QStringLiteral("Seconds to wait before the screenshot. Default: 5."),
                      QStringLiteral("SECONDS")});
}

QString ConsoleOptions::read(const QCommandLineParser& parser, ConsoleOptions* out)
{
    out->wall = parser.isSet(QStringLiteral("wall"));
    if (parser.isSet(QStringLiteral("screen"))) {
        if (!parseIntegerOption(parser.value(QStringLiteral("screen")), 0, 63, &out->screen))
            return QStringLiteral("--screen: \"%1\" is not a screen number")
                .arg(parser.value(QStringLiteral("screen")));
    }
    if (parser.isSet(QStringLiteral("size"))) {
        static const QRegularExpression pattern(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
        const auto match = pattern.match(parser.value(QStringLiteral("size")));
        const int w = match.hasMatch() ? match.captured(1).toInt() : 0;
        const int h = match.hasMatch() ? match.captured(2).toInt() : 0;
        if (w < 320 || h < 240 || w > 16384 || h > 16384)
            return QStringLiteral(
                       "--size: \"%1\" is not WIDTHxHEIGHT between 320x240 and 16384x16384")
                .arg(parser.value(QStringLiteral("size")));
        out->size = QSize(w, h);
    }
    out->screenshotPath = parser.value(QStringLiteral("screenshot"));
    if (parser.isSet(QStringLiteral("after"))) {
        bool ok = false;
        out->afterSeconds = parser.value(QStringLiteral("after")).toDouble(&ok);
        if (!ok || !std::isfinite(out->afterSeconds) || out->afterSeconds < 0 ||
            out->afterSeconds > 3600)
            return QStringLiteral("--after: \"%1\" is not a number of seconds (0-3600)")
                .arg(parser.value(QStringLiteral("after")));
    }
    return {};
}

} // namespace querydeck
