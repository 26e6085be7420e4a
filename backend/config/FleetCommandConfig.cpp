#include "config/FleetCommandConfig.h"

#include "config/ConfigLoader.h"
#include "config/JsonFieldReader.h"
#include "fleet/HpaPolicy.h"
#include "fleet/RulePolicy.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace querydeck {

FleetCommandConfigLoadResult FleetCommandConfigLoader::loadFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {{}, {QStringLiteral("%1: cannot read: %2").arg(path, file.errorString())}, {}};
    if (file.size() > ConfigLoader::kMaxFileBytes)
        return {
            {},
            {QStringLiteral("%1: larger than %2 bytes").arg(path).arg(ConfigLoader::kMaxFileBytes)},
            {}};
    return loadJson(file.readAll());
}

FleetCommandConfigLoadResult FleetCommandConfigLoader::loadJson(const QByteArray& json)
{
    FleetCommandConfigLoadResult result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        // ConfigLoader reports the syntax in detail; the fleet section is then absent.
        result.errors << QStringLiteral("fleet: the config file is not a JSON object");
        return result;
    }
    ConfigDiagnostics diagnostics;
    JsonFieldReader root(doc.object(), QString(), &diagnostics);
    JsonFieldReader fleet = root.section(QStringLiteral("fleet"));
    FleetCommandConfig& c = result.config;
    fleet.readInt(QStringLiteral("scrape_interval_ms"), c.scrapeIntervalMs, 250, 3600 * 1000);
    JsonFieldReader autoscaler = fleet.section(QStringLiteral("autoscaler"));
    readAutoscalerSection(autoscaler, c.autoscaler);
    fleet.reportUnknownKeys();
    result.errors = diagnostics.errors;
    result.warnings = diagnostics.warnings;
    // The console's block does nothing here: say so rather than ignore it.
    const QJsonObject console = doc.object().value(QLatin1String("console")).toObject();
    if (console.contains(QLatin1String("autoscaler")) && !fleet.has(QStringLiteral("autoscaler")))
        result.warnings << QStringLiteral("console.autoscaler is the console's auto-scaler; "
                                          "`querydeck fleet` reads fleet.autoscaler (same fields)");
    return result;
}

std::unique_ptr<AutoscalePolicy> makeAutoscalePolicy(const AutoscalerConsoleConfig& config)
{
    if (config.policy == QLatin1String("hpa"))
        return std::make_unique<HpaPolicy>(config.hpa);
    return std::make_unique<RulePolicy>(config.rules);
}

} // namespace querydeck
