#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QSize>
#include <QString>

namespace querydeck {

// Options of the console (plain `querydeck`) beyond the service's own:
// the monitoring wall and the screenshot mode used by docs and tests.
struct ConsoleOptions
{
    bool wall = false;
    int screen = -1;        // -1: the primary screen
    QSize size;             // empty: the window's natural size
    QString screenshotPath; // set: render after `afterSeconds` and exit
    double afterSeconds = 5.0;

    static void addTo(QCommandLineParser& parser);
    // Returns an error naming the option, empty when fine.
    static QString read(const QCommandLineParser& parser, ConsoleOptions* out);
};

} // namespace querydeck
