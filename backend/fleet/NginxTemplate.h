#pragma once

#include "backend/fleet/LocalFleetOptions.h"

#include <QString>
#include <QStringList>

namespace querydeck {

// Renders the nginx front-door template (packaging/nginx/querydeck-upstream.conf.in)
// into a complete nginx.conf. Pure text work; thread-safe.
struct NginxTemplateValues
{
    QString prefix;      // runtime directory
    QString listen;      // "127.0.0.1:8000"
    QStringList servers; // "127.0.0.1:8001", … in rotation; empty: a placeholder marked down
    int generation = 0;
    qint64 maxBodyBytes = 64 * 1024;
    QString proxyBind = QStringLiteral("127.0.0.1"); // source address of upstream connections
    FrontDoorLimits limits;

    // Everything but the upstream servers and the generation, from the options.
    static NginxTemplateValues fromOptions(const LocalFleetOptions& options, const QString& prefix);
};

class NginxTemplate
{
public:
    // Every placeholder the template must contain.
    static QStringList placeholders();
    // The rendered config, or an error naming what is wrong with the template
    // or the values; `error` is set and the result empty on failure.
    static QString render(const QString& templateText, const NginxTemplateValues& values,
                          QString* error);
    static QString readFile(const QString& path, QString* error);
};

} // namespace querydeck
