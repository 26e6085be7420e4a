#pragma once

#include "backend/alerting/AlertRule.h"
#include "backend/alerting/AlertsConfig.h"

#include <QString>
#include <vector>

class QThread;

namespace querydeck {

class AlertEngine;
class TimeSeriesStore;
class WebhookNotifier;

// Hosts the console's alerting (console.alerts): loads the rule set (the
// configured file, else alert-rules.json in the app config dir, written from
// the bundled defaults on first run; a broken file is reported and left alone
// while the defaults run), builds the AlertEngine over the telemetry store
// with its history, silences and acknowledgements files, and a
// WebhookNotifier when routes are configured.
//
// Thread rules: create it on the GUI thread before the control (telemetry)
// thread starts. The engine and the notifier are moved to that thread and
// deleted there when it finishes; reach them with queued connections and
// QMetaObject::invokeMethod only. The rules the engine started with are a
// copy, readable on the creator's thread.
class ConsoleAlertsHost
{
public:
    // `externalUrl`: where the webhook payloads point back to (the service).
    ConsoleAlertsHost(const AlertsConfig& config, const TimeSeriesStore* store,
                      int sampleIntervalMs, QThread* controlThread, const QString& externalUrl);

    // On the control thread once that runs; null never.
    AlertEngine* engine() const { return m_engine; }
    // Null without configured routes.
    WebhookNotifier* webhook() const { return m_webhook; }
    // What the engine started with, so windows draw thresholds before the
    // first evaluation.
    const std::vector<AlertRule>& startRules() const { return m_startRules; }
    // Where the threshold wizard saves; empty when the file is broken (the
    // wizard must not save over it).
    const QString& rulesFile() const { return m_rulesFile; }

private:
    void loadRules(const QString& rulesPath);
    void addWebhook(const AlertsConfig& config, QThread* controlThread, const QString& externalUrl);

    AlertEngine* m_engine = nullptr;
    WebhookNotifier* m_webhook = nullptr;
    std::vector<AlertRule> m_startRules;
    QString m_rulesFile;
};

} // namespace querydeck
