#include "ui/alerts/ThresholdReviewPage.h"

#include "backend/metrics/PromDuration.h"
#include "ui/alerts/ThresholdWizard.h"
#include "ui/common/LabelText.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace querydeck {

namespace {

QStringList describe(const AlertRule& r)
{
    return {r.name,
            r.expression,
            comparatorSymbol(r.comparator) + QLatin1Char(' ') +
                QString::number(r.threshold, 'g', 12),
            PromDuration::format(r.forMs),
            PromDuration::format(r.keepFiringForMs),
            severityName(r.severity),
            LabelText::format(r.labels),
            r.route.isEmpty() ? QObject::tr("(by severity)") : r.route,
            r.summary};
}

} // namespace

ThresholdReviewPage::ThresholdReviewPage(ThresholdWizard* wizard)
    : ThresholdPageBase(wizard)
{
    setTitle(tr("Review"));
    setSubTitle(tr("Check the change, then Save: the rule set is written and the change is "
                   "recorded in the alert history."));
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("&Save"));
    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("reviewTable"));
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels({tr("Field"), tr("Before"), tr("After")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_error = makeMessage(QStringLiteral("save"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_error);
}

void ThresholdReviewPage::initializePage()
{
    static const char* const fields[] = {"Name",   "Expression",      "Condition",
                                         "For",    "Keep firing for", "Severity",
                                         "Labels", "Route",           "Summary"};
    const AlertRule* old = thresholdWizard()->originalRule();
    const QStringList after = describe(request().rule);
    const QStringList before = old ? describe(*old) : QStringList();
    m_table->setRowCount(int(after.size()));
    for (int row = 0; row < after.size(); ++row) {
        auto* field = new QTableWidgetItem(tr(fields[row]));
        auto* was =
            new QTableWidgetItem(old ? before[row] : (row == 0 ? tr("(new rule)") : QString()));
        auto* now = new QTableWidgetItem(after[row]);
        if (!old || before[row] != after[row]) {
            QFont bold = now->font();
            bold.setBold(true);
            now->setFont(bold);
            field->setFont(bold);
        }
        m_table->setItem(row, 0, field);
        m_table->setItem(row, 1, was);
        m_table->setItem(row, 2, now);
    }
    clearMessage(m_error, nullptr);
}

bool ThresholdReviewPage::validatePage()
{
    QString error;
    if (!controller()->save(request(), &error)) {
        showError(m_error, nullptr, tr("Not saved: %1").arg(error));
        return false;
    }
    return true;
}

int ThresholdReviewPage::nextId() const
{
    return int(ThresholdWizard::Page::Done);
}

} // namespace querydeck
