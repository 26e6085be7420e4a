#include "fleet/NginxTemplate.h"

#include <QFile>
#include <QRegularExpression>

namespace querydeck {

namespace {

// Values land inside nginx directives: allow only what an address, a path or a
// size can contain, so a hostile value cannot add directives of its own.
bool safeToken(const QString& value)
{
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9_.:/\\[\\]@+-]+$"));
    return allowed.match(value).hasMatch();
}

} // namespace

QStringList NginxTemplate::placeholders()
{
    return {QStringLiteral("@PREFIX@"), QStringLiteral("@LISTEN@"),
            QStringLiteral("@UPSTREAM_SERVERS@"), QStringLiteral("@GENERATION@"),
            QStringLiteral("@MAX_BODY@")};
}

QString NginxTemplate::readFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("nginx template %1: %2").arg(path, file.errorString());
        return {};
    }
    const QByteArray text = file.read(1024 * 1024 + 1);
    if (text.size() > 1024 * 1024) {
        *error = QStringLiteral("nginx template %1: larger than 1 MiB").arg(path);
        return {};
    }
    return QString::fromUtf8(text);
}

QString NginxTemplate::render(const QString& templateText, const NginxTemplateValues& values,
                              QString* error)
{
    for (const QString& placeholder : placeholders()) {
        if (!templateText.contains(placeholder)) {
            *error = QStringLiteral("nginx template: placeholder %1 is missing").arg(placeholder);
            return {};
        }
    }
    for (const QString& value : QStringList{values.prefix, values.listen} + values.servers) {
        if (!safeToken(value)) {
            *error = QStringLiteral("nginx template: \"%1\" contains characters nginx would "
                                    "misread (spaces, quotes, ';', braces)")
                         .arg(value);
            return {};
        }
    }
    if (values.maxBodyBytes <= 0) {
        *error = QStringLiteral("nginx template: body size limit must be positive");
        return {};
    }
    QStringList lines;
    for (const QString& server : values.servers)
        lines << QStringLiteral("        server %1 max_fails=3 fail_timeout=30s;").arg(server);
    if (lines.isEmpty()) {
        // nginx refuses an empty upstream; a server marked down keeps the front
        // door up (answering 502) until the first replica is ready.
        lines << QStringLiteral("        server 127.0.0.1:1 down; # no replica in rotation");
    }
    QString text = templateText;
    text.replace(QStringLiteral("@UPSTREAM_SERVERS@"), lines.join(QLatin1Char('\n')));
    text.replace(QStringLiteral("@PREFIX@"), values.prefix);
    text.replace(QStringLiteral("@LISTEN@"), values.listen);
    text.replace(QStringLiteral("@GENERATION@"), QString::number(values.generation));
    text.replace(QStringLiteral("@MAX_BODY@"), QString::number(values.maxBodyBytes));
    error->clear();
    return text;
}

} // namespace querydeck
