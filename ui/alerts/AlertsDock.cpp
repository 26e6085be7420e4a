#include "ui/alerts/AlertsDock.h"

#include "models/AlertFilterModel.h"
#include "models/AlertHistoryModel.h"
#include "models/AlertListModel.h"
#include "ui/alerts/AlertTimeline.h"
#include "ui/alerts/SilenceDialog.h"
#include "ui/common/AlertColors.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace querydeck {

namespace {

// Severity (and rule) text in the severity colour, with a stripe at the
// row's start, so a critical alert is seen before it is read.
class SeverityDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const auto severity = AlertSeverity(index.data(AlertListModel::SeverityRole).toInt());
        const auto state = AlertState(index.data(AlertListModel::StateRole).toInt());
        const bool active = state == AlertState::Firing || state == AlertState::Recovering;
        if (index.column() == AlertListModel::SeverityColumn ||
            (active && index.column() == AlertListModel::StateColumn)) {
            opt.palette.setColor(QPalette::Text, severityColor(severity));
            opt.font.setBold(active);
        }
        QStyledItemDelegate::paint(painter, opt, index);
        if (index.column() == AlertListModel::SeverityColumn) {
            QColor stripe = severityColor(severity);
            if (!active)
                stripe.setAlphaF(0.4);
            painter->fillRect(QRect(option.rect.left(), option.rect.top(), 4, option.rect.height()),
                              stripe);
        }
    }
};

} // namespace

AlertsDock::AlertsDock(QWidget* parent)
    : QDockWidget(tr("Alerts"), parent)
{
    setObjectName(QStringLiteral("alertsDock"));
    m_alerts = new AlertListModel(2000, this);
    m_filter = new AlertFilterModel(this);
    m_filter->setSourceModel(m_alerts);
    m_history = new AlertHistoryModel(5000, this);

    auto* host = new QWidget(this);
    m_filterEdit = new QLineEdit(host);
    m_filterEdit->setObjectName(QStringLiteral("alertFilter"));
    m_filterEdit->setPlaceholderText(tr("Filter by rule, label or summary"));
    m_filterEdit->setClearButtonEnabled(true);
    m_severity = new QComboBox(host);
    m_severity->setObjectName(QStringLiteral("severityFilter"));
    m_severity->addItem(tr("All severities"), -1);
    for (AlertSeverity s : {AlertSeverity::Critical, AlertSeverity::Warning, AlertSeverity::Info})
        m_severity->addItem(severityName(s), int(s));
    m_state = new QComboBox(host);
    m_state->setObjectName(QStringLiteral("stateFilter"));
    m_state->addItem(tr("All states"), -1);
    for (AlertState s : {AlertState::Firing, AlertState::Pending, AlertState::Normal,
                         AlertState::NoData, AlertState::Error})
        m_state->addItem(alertStateName(s), int(s));

    m_view = new QTableView(host);
    m_view->setObjectName(QStringLiteral("alertView"));
    m_view->setModel(m_filter);
    m_view->setItemDelegate(new SeverityDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->setColumnWidth(AlertListModel::SeverityColumn, 80);
    m_view->setColumnWidth(AlertListModel::RuleColumn, 170);
    m_view->setColumnWidth(AlertListModel::LabelsColumn, 150);
    m_view->setColumnWidth(AlertListModel::StateColumn, 90);
    m_view->setColumnWidth(AlertListModel::ValueColumn, 80);
    m_view->setColumnWidth(AlertListModel::SinceColumn, 90);

    m_silence = new QPushButton(tr("&Silence…"), host);
    m_silence->setObjectName(QStringLiteral("silenceButton"));
    m_ack = new QPushButton(tr("Ac&knowledge"), host);
    m_ack->setObjectName(QStringLiteral("acknowledgeButton"));

    auto* filters = new QHBoxLayout;
    filters->addWidget(m_filterEdit, 1);
    filters->addWidget(m_severity);
    filters->addWidget(m_state);
    filters->addWidget(m_silence);
    filters->addWidget(m_ack);
    auto* alertsPage = new QWidget(host);
    auto* alertsLayout = new QVBoxLayout(alertsPage);
    alertsLayout->setContentsMargins(0, 0, 0, 0);
    alertsLayout->addLayout(filters);
    alertsLayout->addWidget(m_view, 1);

    m_timeline = new AlertTimeline(host);
    m_timeline->setModel(m_history);
    m_historyView = new QTableView(host);
    m_historyView->setObjectName(QStringLiteral("historyView"));
    m_historyView->setModel(m_history);
    m_historyView->verticalHeader()->hide();
    m_historyView->setShowGrid(false);
    m_historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyView->horizontalHeader()->setStretchLastSection(true);
    m_historyView->setColumnWidth(AlertHistoryModel::TimeColumn, 150);
    m_historyView->setColumnWidth(AlertHistoryModel::RuleColumn, 150);
    m_historyView->setColumnWidth(AlertHistoryModel::TransitionColumn, 170);
    m_historyView->setWordWrap(false);
    auto* split = new QSplitter(Qt::Vertical, host);
    split->addWidget(m_timeline);
    split->addWidget(m_historyView);
    split->setStretchFactor(1, 1);

    m_tabs = new QTabWidget(host);
    m_tabs->setObjectName(QStringLiteral("alertTabs"));
    m_tabs->addTab(alertsPage, tr("Alerts"));
    m_tabs->addTab(split, tr("History"));
    auto* layout = new QVBoxLayout(host);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_tabs);
    setWidget(host);

    connect(m_filterEdit, &QLineEdit::textChanged, m_filter, &AlertFilterModel::setText);
    connect(m_severity, &QComboBox::currentIndexChanged, this, [this] {
        const int v = m_severity->currentData().toInt();
        m_filter->setSeverity(v < 0 ? std::nullopt : std::optional(AlertSeverity(v)));
    });
    connect(m_state, &QComboBox::currentIndexChanged, this, [this] {
        const int v = m_state->currentData().toInt();
        m_filter->setState(v < 0 ? std::nullopt : std::optional(AlertState(v)));
    });
    connect(m_silence, &QPushButton::clicked, this, &AlertsDock::silenceSelected);
    connect(m_ack, &QPushButton::clicked, this, &AlertsDock::acknowledgeSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AlertsDock::updateActions);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &AlertsDock::updateActions);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &AlertsDock::updateActions);

    // Relative times move on; a few seconds is as fine as anyone reads them.
    m_tick = new QTimer(this);
    m_tick->setInterval(5000);
    connect(m_tick, &QTimer::timeout, m_alerts, &AlertListModel::refreshRelativeTimes);
    connect(m_tick, &QTimer::timeout, m_timeline, qOverload<>(&QWidget::update));
    m_tick->start();

    m_prompt = [this](const QMap<QString, QString>& prefill, QMap<QString, QString>* matchers,
                      qint64* durationMs, QString* comment) {
        SilenceDialog dialog(prefill, this);
        if (dialog.exec() != QDialog::Accepted)
            return false;
        *matchers = dialog.matchers();
        *durationMs = dialog.durationMs();
        *comment = dialog.comment();
        return true;
    };
    updateActions();
}

AlertsDock::~AlertsDock() = default;

void AlertsDock::setSilencePrompt(SilencePrompt prompt)
{
    m_prompt = std::move(prompt);
}

void AlertsDock::setClock(std::function<qint64()> clock)
{
    m_alerts->setClock(clock);
    m_timeline->setClock(clock);
}

std::optional<AlertInstance> AlertsDock::selectedAlert() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    const int source = m_filter->mapToSource(rows.first()).row();
    if (source < 0)
        return std::nullopt;
    return m_alerts->alert(source);
}

void AlertsDock::setAlerts(const QList<AlertInstance>& alerts)
{
    m_alerts->setAlerts(alerts);
    updateActions();
    updateTitle();
}

void AlertsDock::addHistoryEntry(const AlertHistoryEntry& entry)
{
    m_history->append(entry);
}

void AlertsDock::setHistory(const QList<AlertHistoryEntry>& newestFirst)
{
    m_history->setEntries(newestFirst);
}

void AlertsDock::silenceSelected()
{
    const auto alert = selectedAlert();
    if (!alert)
        return;
    QMap<QString, QString> prefill = alert->labels;
    prefill.insert(QStringLiteral("alertname"), alert->ruleName);
    QMap<QString, QString> matchers;
    qint64 durationMs = 0;
    QString comment;
    if (m_prompt && m_prompt(prefill, &matchers, &durationMs, &comment))
        emit silenceRequested(matchers, durationMs, comment);
}

void AlertsDock::acknowledgeSelected()
{
    if (const auto alert = selectedAlert())
        emit acknowledgeRequested(alert->key());
}

void AlertsDock::updateActions()
{
    const auto alert = selectedAlert();
    m_silence->setEnabled(alert.has_value());
    m_ack->setEnabled(alert && !alert->acknowledged &&
                      (alert->status.state == AlertState::Firing ||
                       alert->status.state == AlertState::Recovering ||
                       alert->status.state == AlertState::Pending));
}

void AlertsDock::updateTitle()
{
    int firing = 0;
    for (int row = 0; row < m_alerts->rowCount(); ++row) {
        const AlertState s = m_alerts->alert(row).status.state;
        if ((s == AlertState::Firing || s == AlertState::Recovering) &&
            !m_alerts->alert(row).silenced)
            ++firing;
    }
    setWindowTitle(firing > 0 ? tr("Alerts (%1 firing)").arg(firing) : tr("Alerts"));
}

} // namespace querydeck
