// Alerts ▸ Export rules for Prometheus… driven through the real menu action:
// it writes the rules the console runs (not the bundled ones), reports what
// it left out, and a failed write says where and writes nothing.

#include "backend/alerting/AlertRuleJson.h"
#include "ui/alerts/RulesExportAction.h"
#include "ui/shell/MainWindow.h"

#include <QApplication>
#include <QFile>
#include <QMenuBar>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTest>

using namespace querydeck;

class TstUiRulesExport : public QObject
{
    Q_OBJECT

private slots:
    void disabledUntilRulesArrive();
    void exportsTheRunningRules();
    void reportsRefusedRules();
    void failedWriteSaysWhere();
    void cancelWritesNothing();

private:
    static QAction* menuAction(MainWindow& window)
    {
        for (QAction* menu : window.menuBar()->actions())
            if (menu->menu())
                for (QAction* action : menu->menu()->actions())
                    if (action->objectName() == QLatin1String("exportRulesAction"))
                        return action;
        return nullptr;
    }
    static QString readAll(const QString& path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }
};

void TstUiRulesExport::disabledUntilRulesArrive()
{
    MainWindow window;
    QAction* action = menuAction(window);
    QVERIFY2(action, "no Export rules action in the menus");
    QVERIFY(!action->isEnabled());
    window.setAlertRules(AlertRuleJson::defaults());
    QVERIFY(action->isEnabled());
}

void TstUiRulesExport::exportsTheRunningRules()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rules.yml"));
    MainWindow window;
    std::vector<AlertRule> rules = AlertRuleJson::defaults();
    rules.at(0).threshold = 0.375; // as if the threshold wizard had changed it
    window.setAlertRules(rules);
    window.exportRulesAction()->setPathPrompt([&path](QWidget*) { return path; });

    menuAction(window)->trigger();
    const QString yaml = readAll(path);
    QVERIFY2(yaml.contains(QLatin1String("0.375")), qPrintable(yaml));
    QVERIFY(yaml.contains(QStringLiteral("alert: %1").arg(rules.at(0).name)));
    QMessageBox* report = window.exportRulesAction()->lastReport();
    QVERIFY(report);
    QCOMPARE(report->icon(), QMessageBox::Information);
    QVERIFY2(report->text().contains(QStringLiteral("10 rules written to %1").arg(path)),
             qPrintable(report->text()));
    report->close();
    QTRY_VERIFY(!window.exportRulesAction()->lastReport());
}

void TstUiRulesExport::reportsRefusedRules()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rules.yml"));
    MainWindow window;
    std::vector<AlertRule> rules = AlertRuleJson::defaults();
    rules.at(1).enabled = false;
    window.setAlertRules(rules);
    window.exportRulesAction()->setPathPrompt([&path](QWidget*) { return path; });
    menuAction(window)->trigger();
    QMessageBox* report = window.exportRulesAction()->lastReport();
    QVERIFY(report);
    QCOMPARE(report->icon(), QMessageBox::Warning);
    QVERIFY2(report->text().contains(QStringLiteral("9 rules written")),
             qPrintable(report->text()));
    QVERIFY2(report->text().contains(rules.at(1).name), qPrintable(report->text()));
    if (const QString dirName = qEnvironmentVariable("QUERYDECK_SNAPSHOT_DIR"); !dirName.isEmpty())
        report->grab().save(dirName + QStringLiteral("/rules-export-report.png"));
    QVERIFY(!readAll(path).contains(QStringLiteral("alert: %1\n").arg(rules.at(1).name)));
}

void TstUiRulesExport::failedWriteSaysWhere()
{
    QTemporaryDir dir;
    MainWindow window;
    window.setAlertRules(AlertRuleJson::defaults());
    const QString bad = dir.filePath(QStringLiteral("no-such-dir/rules.yml"));
    window.exportRulesAction()->setPathPrompt([&bad](QWidget*) { return bad; });
    menuAction(window)->trigger();
    QMessageBox* report = window.exportRulesAction()->lastReport();
    QVERIFY(report);
    QCOMPARE(report->icon(), QMessageBox::Critical);
    QVERIFY2(report->text().contains(QLatin1String("Nothing was written")) &&
                 report->text().contains(bad),
             qPrintable(report->text()));
    QVERIFY(!QFile::exists(bad));
}

void TstUiRulesExport::cancelWritesNothing()
{
    MainWindow window;
    window.setAlertRules(AlertRuleJson::defaults());
    int asked = 0;
    window.exportRulesAction()->setPathPrompt([&asked](QWidget*) {
        ++asked;
        return QString();
    });
    menuAction(window)->trigger();
    QCOMPARE(asked, 1);
    QVERIFY(!window.exportRulesAction()->lastReport());
}

QTEST_MAIN(TstUiRulesExport)
#include "tst_ui_rulesexport.moc"
