#include "ui/alerts/RulesExportAction.h"

#include "backend/promrules/PrometheusRuleExporter.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QPointer>

namespace querydeck {

RulesExportAction::RulesExportAction(QWidget* parent)
    : QAction(tr("&Export rules for Prometheus…"), parent)
{
    setObjectName(QStringLiteral("exportRulesAction"));
    setToolTip(tr("Write the running alert rules as a Prometheus rules file (rule_files)"));
    setEnabled(false); // until the engine has sent its rules
    m_prompt = [](QWidget* owner) {
        return QFileDialog::getSaveFileName(owner, tr("Export alert rules"),
                                            QStringLiteral("querydeck-rules.yml"),
                                            tr("Prometheus rules (*.yml *.yaml)"));
    };
    connect(this, &QAction::triggered, this, &RulesExportAction::exportRules);
}

void RulesExportAction::setRules(const std::vector<AlertRule>& rules)
{
    m_rules = rules;
    setEnabled(!m_rules.empty());
}

void RulesExportAction::exportRules()
{
    auto* owner = qobject_cast<QWidget*>(parent());
    const QString path = m_prompt(owner);
    if (path.isEmpty())
        return;
    const PrometheusRuleExporter::Result result =
        PrometheusRuleExporter::exportToFile(m_rules, path);

    QString text;
    QMessageBox::Icon icon = QMessageBox::Information;
    if (!result.writeError.isEmpty()) {
        icon = QMessageBox::Critical;
        text = tr("Nothing was written: %1").arg(result.writeError);
    } else {
        text = (result.exported == 1 ? tr("1 rule written to %1.")
                                     : tr("%1 rules written to %2.").arg(result.exported))
                   .arg(path);
        if (!result.refused.isEmpty()) {
            icon = QMessageBox::Warning;
            text += QLatin1Char('\n') + tr("Left out (no PromQL equivalent or disabled):") +
                    QStringLiteral("\n• ") + result.refused.join(QStringLiteral("\n• "));
        }
    }
    if (m_report)
        m_report->close();
    m_report = new QMessageBox(icon, tr("Export alert rules"), text, QMessageBox::Ok, owner);
    m_report->setObjectName(QStringLiteral("exportRulesReport"));
    m_report->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_report, &QObject::destroyed, this, [this] { m_report = nullptr; });
    m_report->open(); // window-modal, but returns at once
}

} // namespace querydeck
