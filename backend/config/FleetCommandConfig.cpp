#include "backend/config/FleetCommandConfig.h"

#include "backend/autoscale/HpaPolicy.h"
#include "backend/autoscale/RulePolicy.h"
#include "backend/common/JsonFieldReader.h"
#include "backend/config/ConfigLoader.h"
#include "backend/config/FleetSectionReaders.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace querydeck {

FleetCommandConfigLoadResult FleetCommandConfigLoader::loadFile(const QString& path)
{
    QString error;
    const std::optional<QByteArray> json = ConfigLoader::readSectionFile(path, &error);
    return json ? loadJson(*json) : FleetCommandConfigLoadResult{{}, {error}, {}};
}

FleetCommandConfigLoadResult FleetCommandConfigLoader::loadJson(const QByteArray& json)
{
    FleetCommandConfigLoadResult result;
    QString error;
    const std::optional<QJsonObject> document =
        ConfigLoader::parseSectionDocument(json, QStringLiteral("fleet"), &error);
    if (!document) {
        result.errors << error;
        return result;
    }
    ConfigDiagnostics diagnostics;
    JsonFieldReader root(*document, QString(), &diagnostics);
    JsonFieldReader fleet = root.section(QStringLiteral("fleet"));
    FleetCommandConfig& c = result.value;
    fleet.readInt(QStringLiteral("scrape_interval_ms"), c.scrapeIntervalMs, 250, 3600 * 1000);
    JsonFieldReader autoscaler = fleet.section(QStringLiteral("autoscaler"));
    readAutoscalerSection(autoscaler, c.autoscaler);
    JsonFieldReader frontDoor = fleet.section(QStringLiteral("front_door"));
    readFrontDoorSection(frontDoor, c.frontDoor);
    fleet.reportUnknownKeys();
    result.errors = diagnostics.errors;
    result.warnings = diagnostics.warnings;
    // The console's block does nothing here: say so rather than ignore it.
    const QJsonObject console = document->value(QLatin1String("console")).toObject();
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
