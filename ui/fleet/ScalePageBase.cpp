#include "ui/fleet/ScalePageBase.h"

#include "ui/fleet/ScaleWizard.h"

#include <QListWidget>

namespace querydeck {

ScalePageBase::ScalePageBase(ScaleWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
}

ScaleRequest& ScalePageBase::request() const
{
    return m_wizard->request();
}

ScaleOperatorMirror* ScalePageBase::scaleOperator() const
{
    return m_wizard->scaleOperator();
}

void ScalePageBase::fillLines(QListWidget* list, const QStringList& lines)
{
    list->clear();
    for (const QString& line : lines) {
        auto* item = new QListWidgetItem(line, list);
        item->setIcon(
            list->style()->standardIcon(line.startsWith("fail")   ? QStyle::SP_MessageBoxCritical
                                        : line.startsWith("warn") ? QStyle::SP_MessageBoxWarning
                                                                  : QStyle::SP_DialogApplyButton));
    }
}

} // namespace querydeck
