#include "ui/shell/AlertsWiring.h"

#include "backend/alerting/AlertEngine.h"
#include "backend/alerting/AlertSilence.h"
#include "backend/alerting/ThresholdWizardController.h"
#include "ui/alerts/AlertsDock.h"
#include "ui/alerts/TrayNotifier.h"
#include "ui/shell/MainWindow.h"
#include "ui/wall/WallWindow.h"

#include <QDateTime>
#include <QMetaObject>
#include <spdlog/spdlog.h>

namespace querydeck::AlertsWiring {

namespace {

// The engine announces a new rule set without data (rulesChanged()); read it
// on the engine's thread and hand a copy to `apply` on the receiver's.
template <typename Receiver>
void followRules(AlertEngine* engine, Receiver* receiver,
                 void (Receiver::*apply)(const std::vector<AlertRule>&))
{
    QObject::connect(engine, &AlertEngine::rulesChanged, engine, [engine, receiver, apply] {
        std::vector<AlertRule> rules = engine->rules();
        QMetaObject::invokeMethod(
            receiver, [receiver, apply, rules] { (receiver->*apply)(rules); },
            Qt::QueuedConnection);
    });
}

QString currentUser()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? QStringLiteral("console") : user;
}

} // namespace

void connectMain(AlertEngine* engine, const TimeSeriesStore& store,
                 const std::vector<AlertRule>& rules, const QString& rulesFile, MainWindow* main)
{
    QObject::connect(engine, &AlertEngine::alertsChanged, main, &MainWindow::setAlerts);
    QObject::connect(engine, &AlertEngine::transition, main, &MainWindow::addAlertHistory);
    auto* tray = new TrayNotifier(main);
    QObject::connect(engine, &AlertEngine::transition, tray, &TrayNotifier::notify);
    main->setAlertRules(rules);
    followRules(engine, main, &MainWindow::setAlertRules);

    AlertsDock* dock = main->alertsDock();
    QObject::connect(dock, &AlertsDock::acknowledgeRequested, engine, [engine](const QString& key) {
        QMetaObject::invokeMethod(engine,
                                  [engine, key] { engine->acknowledge(key, currentUser()); });
    });
    QObject::connect(dock, &AlertsDock::silenceRequested, engine,
                     [engine](const QMap<QString, QString>& matchers, qint64 durationMs,
                              const QString& comment) {
                         AlertSilence silence;
                         for (auto it = matchers.cbegin(); it != matchers.cend(); ++it) {
                             AlertMatcher matcher;
                             matcher.name = it.key();
                             matcher.value = it.value();
                             silence.matchers << matcher;
                         }
                         silence.startsMs = QDateTime::currentMSecsSinceEpoch();
                         silence.endsMs = silence.startsMs + durationMs;
                         silence.comment = comment;
                         silence.createdBy = currentUser();
                         QMetaObject::invokeMethod(engine, [engine, silence] {
                             QString error;
                             if (engine->addSilence(silence, &error).isEmpty())
                                 spdlog::error("[alerts] silence refused: {}", error.toStdString());
                         });
                     });

    // The wizard saves and verifies the rules file itself, then the engine
    // takes the new set (keeping the state of unchanged rules).
    auto* controller = new ThresholdWizardController(rules, store, main);
    if (!rulesFile.isEmpty())
        controller->setRulesFile(rulesFile);
    QObject::connect(controller, &ThresholdWizardController::rulesChanged, engine,
                     [engine, controller](const std::vector<AlertRule>& changed) {
                         const QString note = controller->lastNote();
                         QMetaObject::invokeMethod(engine, [engine, changed, note] {
                             const QStringList errors = engine->setRules(changed, note);
                             if (!errors.isEmpty())
                                 spdlog::error("[alerts] rule set refused: {}",
                                               errors.join(QStringLiteral("; ")).toStdString());
                         });
                     });
    QObject::connect(controller, &ThresholdWizardController::historyRecorded, main,
                     &MainWindow::addAlertHistory);
    main->setThresholdWizardController(controller);
}

void connectWall(AlertEngine* engine, const std::vector<AlertRule>& rules, WallWindow* wall)
{
    QObject::connect(engine, &AlertEngine::alertsChanged, wall, &WallWindow::setAlerts);
    wall->setAlertRules(rules);
    followRules(engine, wall, &WallWindow::setAlertRules);
}

} // namespace querydeck::AlertsWiring
