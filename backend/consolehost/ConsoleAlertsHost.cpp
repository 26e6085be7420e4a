#include "backend/consolehost/ConsoleAlertsHost.h"

#include "backend/alerting/AlertEngine.h"
#include "backend/alerting/AlertRuleJson.h"
#include "backend/alerting/WebhookNotifier.h"
#include "backend/secrets/KeychainSecretStore.h"

#include <QDir>
#include <QFileInfo>
#include <QMetaObject>
#include <QStandardPaths>
#include <QThread>
#include <spdlog/spdlog.h>

namespace querydeck {

ConsoleAlertsHost::ConsoleAlertsHost(const AlertsConfig& config, const TimeSeriesStore* store,
                                     int sampleIntervalMs, QThread* controlThread,
                                     const QString& externalUrl)
{
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString rulesPath =
        config.rulesFile.isEmpty() ? AlertRuleJson::defaultConsoleFile() : config.rulesFile;
    loadRules(rulesPath);

    m_engine = new AlertEngine(store);
    m_engine->setHistoryFile(dataDir + QStringLiteral("/alert-history.jsonl"));
    m_engine->setSilencesFile(dataDir + QStringLiteral("/alert-silences.json"));
    m_engine->setAcknowledgementsFile(dataDir + QStringLiteral("/alert-acks.json"));
    m_engine->setFirstEvaluationDelay(3LL * sampleIntervalMs);
    m_engine->setRules(m_startRules);
    if (!m_rulesFile.isEmpty())
        m_engine->setRulesFile(m_rulesFile); // after: starting does not rewrite the file
    m_engine->moveToThread(controlThread);
    QObject::connect(controlThread, &QThread::finished, m_engine, &QObject::deleteLater);
    addWebhook(config, controlThread, externalUrl);
    QMetaObject::invokeMethod(m_engine, &AlertEngine::start, Qt::QueuedConnection);
}

void ConsoleAlertsHost::loadRules(const QString& rulesPath)
{
    QString error;
    if (!QFileInfo::exists(rulesPath)) {
        QDir().mkpath(QFileInfo(rulesPath).absolutePath());
        if (AlertRuleJson::saveFile(rulesPath, AlertRuleJson::defaults(), &error))
            spdlog::info("[alerts] wrote the default rules to {}", rulesPath.toStdString());
        else
            spdlog::error("[alerts] {}", error.toStdString());
    }
    const AlertRuleJson::LoadResult loaded = AlertRuleJson::loadFile(rulesPath);
    for (const QString& warning : loaded.warnings)
        spdlog::warn("[alerts] {}: {}", rulesPath.toStdString(), warning.toStdString());
    if (loaded.errors.isEmpty()) {
        m_startRules = loaded.value;
        m_rulesFile = rulesPath;
        return;
    }
    // The broken file is left alone for the operator to fix: the wizard does
    // not save over it either (m_rulesFile stays empty).
    spdlog::error("[alerts] {} is invalid, running the default rules: {}", rulesPath.toStdString(),
                  loaded.errors.join(QStringLiteral("; ")).toStdString());
    m_startRules = AlertRuleJson::defaults();
}

void ConsoleAlertsHost::addWebhook(const AlertsConfig& config, QThread* controlThread,
                                   const QString& externalUrl)
{
    if (config.routes.isEmpty())
        return;
    WebhookOptions options;
    KeychainSecretStore secrets;
    for (auto it = config.routes.cbegin(); it != config.routes.cend(); ++it) {
        WebhookRoute route{it.key(), QUrl(it->url), {}};
        if (it->authorization.isSet()) {
            const SecretResult secret = secrets.read(it->authorization);
            if (secret.ok())
                route.authorization = secret.value.toUtf8();
            else
                spdlog::error("[alerts] webhook route {}: {}", it.key().toStdString(),
                              secret.error.toStdString());
        }
        options.routes << route;
    }
    options.severityRoutes = config.severityRoutes;
    options.timeoutMs = config.timeoutMs;
    options.maxAttempts = config.maxAttempts;
    options.backoffMs = config.backoffMs;
    options.backoffMaxMs = config.backoffMaxMs;
    options.externalUrl = externalUrl;
    m_webhook = new WebhookNotifier(options);
    m_webhook->moveToThread(controlThread);
    QObject::connect(controlThread, &QThread::finished, m_webhook, &QObject::deleteLater);
    QObject::connect(m_engine, &AlertEngine::notifications, m_webhook, &WebhookNotifier::sendBatch);
}

} // namespace querydeck
