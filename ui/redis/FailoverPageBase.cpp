#include "ui/redis/FailoverPageBase.h"

#include "ui/redis/FailoverWizard.h"

#include <QLabel>
#include <QListWidget>

namespace querydeck {

FailoverPageBase::FailoverPageBase(FailoverWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
}

FailoverRequest& FailoverPageBase::request() const
{
    return m_wizard->request();
}

FailoverController* FailoverPageBase::controller() const
{
    return m_wizard->controller();
}

bool FailoverPageBase::isCluster() const
{
    return m_wizard->request().mode == FailoverRequest::Mode::Cluster;
}

QLabel* FailoverPageBase::makeErrorLabel()
{
    auto* label = new QLabel(this);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #d03b3b;"));
    label->setObjectName(QStringLiteral("error"));
    return label;
}

QListWidget* FailoverPageBase::makeTimeline()
{
    auto* list = new QListWidget(this);
    list->setObjectName(QStringLiteral("timeline"));
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    list->setFont(mono);
    return list;
}

void FailoverPageBase::showChecks(QListWidget* list, const QList<FailoverCheck>& checks)
{
    list->clear();
    for (const FailoverCheck& check : checks) {
        QString mark;
        QColor color;
        switch (check.status) {
        case FailoverCheck::Status::Pass:
            mark = QStringLiteral("✔");
            color = QColor(0x2e, 0x9e, 0x4f);
            break;
        case FailoverCheck::Status::Warn:
            mark = QStringLiteral("⚠");
            color = QColor(0xc7, 0x8a, 0x00);
            break;
        case FailoverCheck::Status::Fail:
            mark = QStringLiteral("✖");
            color = QColor(0xd0, 0x3b, 0x3b);
            break;
        }
        auto* item = new QListWidgetItem(
            QStringLiteral("%1  %2 — %3").arg(mark, check.name, check.detail), list);
        item->setForeground(color);
        item->setData(Qt::UserRole, int(check.status));
    }
}

QString FailoverPageBase::eventText(const FailoverController::Event& event)
{
    if (event.atMs < 0)
        return QStringLiteral("          %1").arg(event.text);
    return QStringLiteral("+%1 s   %2").arg(double(event.atMs) / 1000.0, 6, 'f', 2).arg(event.text);
}

QString FailoverPageBase::failedRequestsText(const FailoverController::Report& report)
{
    if (report.failedRequests < 0)
        return report.failedRequestsDetail;
    return QObject::tr("%n (%1)", nullptr, int(report.failedRequests))
        .arg(report.failedRequestsDetail);
}

bool FailoverPageBase::isOver(FailoverController::Phase phase)
{
    return phase == FailoverController::Phase::Succeeded ||
           phase == FailoverController::Phase::Failed;
}

} // namespace querydeck
