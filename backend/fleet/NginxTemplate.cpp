#include "backend/fleet/NginxTemplate.h"

#include <QFile>
#include <QRegularExpression>
#include <utility>

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
    return {QStringLiteral("@PREFIX@"),
            QStringLiteral("@LISTEN@"),
            QStringLiteral("@UPSTREAM_SERVERS@"),
            QStringLiteral("@GENERATION@"),
            QStringLiteral("@MAX_BODY@"),
            QStringLiteral("@PROXY_BIND@"),
            QStringLiteral("@CLIENT_HEADER_TIMEOUT@"),
            QStringLiteral("@CLIENT_BODY_TIMEOUT@"),
            QStringLiteral("@SEND_TIMEOUT@"),
            QStringLiteral("@KEEPALIVE_TIMEOUT@"),
            QStringLiteral("@CONN_PER_ADDRESS@"),
            QStringLiteral("@CONN_LIMIT_STATUS@")};
}

NginxTemplateValues NginxTemplateValues::fromOptions(const LocalFleetOptions& options,
                                                     const QString& prefix)
{
    NginxTemplateValues values;
    values.prefix = prefix;
    values.listen =
        QStringLiteral("%1:%2")
            .arg(options.host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(options.host)
                                                         : options.host)
            .arg(options.frontPort);
    values.maxBodyBytes = options.maxBodyBytes;
    values.proxyBind = options.frontDoorSource();
    values.limits = options.frontDoor;
    return values;
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
    for (const QString& value :
         QStringList{values.prefix, values.listen, values.proxyBind} + values.servers) {
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
    const FrontDoorLimits& limits = values.limits;
    for (const auto& [name, ms] : {std::pair{"client header timeout", limits.clientHeaderTimeoutMs},
                                   std::pair{"client body timeout", limits.clientBodyTimeoutMs},
                                   std::pair{"send timeout", limits.sendTimeoutMs},
                                   std::pair{"keep-alive timeout", limits.keepAliveTimeoutMs}}) {
        if (ms <= 0) {
            *error = QStringLiteral("nginx template: %1 must be positive, got %2 ms")
                         .arg(QLatin1String(name))
                         .arg(ms);
            return {};
        }
    }
    if (limits.connectionsPerAddress <= 0) {
        *error = QStringLiteral("nginx template: connections per address must be positive");
        return {};
    }
    if (limits.limitStatus != 429 && limits.limitStatus != 503) {
        *error = QStringLiteral("nginx template: the connection limit status must be 429 or 503, "
                                "got %1")
                     .arg(limits.limitStatus);
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
    text.replace(QStringLiteral("@PROXY_BIND@"), values.proxyBind);
    const auto ms = [](int value) { return QStringLiteral("%1ms").arg(value); };
    text.replace(QStringLiteral("@CLIENT_HEADER_TIMEOUT@"), ms(limits.clientHeaderTimeoutMs));
    text.replace(QStringLiteral("@CLIENT_BODY_TIMEOUT@"), ms(limits.clientBodyTimeoutMs));
    text.replace(QStringLiteral("@SEND_TIMEOUT@"), ms(limits.sendTimeoutMs));
    text.replace(QStringLiteral("@KEEPALIVE_TIMEOUT@"), ms(limits.keepAliveTimeoutMs));
    text.replace(QStringLiteral("@CONN_PER_ADDRESS@"),
                 QString::number(limits.connectionsPerAddress));
    text.replace(QStringLiteral("@CONN_LIMIT_STATUS@"), QString::number(limits.limitStatus));
    error->clear();
    return text;
}

} // namespace querydeck
