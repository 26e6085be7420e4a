#include "ui/fleet/ReplicasDock.h"

#include "backend/fleet/ReplicaSet.h"
#include "models/ReplicaTableModel.h"
#include "ui/common/RecordTable.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace querydeck {

ReplicasDock::ReplicasDock(QWidget* parent)
    : QDockWidget(tr("Replicas"), parent)
    , m_model(new ReplicaTableModel(this))
    , m_uptimeTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("replicasDock"));
    auto* host = new QWidget(this);
    m_summary = new QLabel(tr("No fleet"), host);
    m_summary->setObjectName(QStringLiteral("replicasSummary"));
    m_view = createRecordTable(m_model, QStringLiteral("replicasView"), tr("Replicas"), host);
    m_view->horizontalHeader()->setSectionResizeMode(ReplicaTableModel::AddressColumn,
                                                     QHeaderView::Stretch);

    m_drain = new QPushButton(tr("&Drain"), host);
    m_drain->setObjectName(QStringLiteral("drainReplica"));
    m_drain->setToolTip(tr("Take the replica out of rotation, let its requests finish, stop it"));
    m_restart = new QPushButton(tr("&Restart"), host);
    m_restart->setObjectName(QStringLiteral("restartReplica"));
    m_restart->setToolTip(tr("Drain the replica and start it again"));
    m_logs = new QPushButton(tr("&Logs"), host);
    m_logs->setObjectName(QStringLiteral("replicaLogs"));
    m_logs->setToolTip(tr("Show the replica's log file"));
    m_event = new QLabel(host);
    m_event->setObjectName(QStringLiteral("replicasEvent"));
    m_event->setWordWrap(true);
    m_event->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_drain);
    buttons->addWidget(m_restart);
    buttons->addWidget(m_logs);
    auto* layout = new QVBoxLayout(host);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_event);
    setWidget(host);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ReplicasDock::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ReplicasDock::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ReplicasDock::updateActions);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ReplicasDock::updateActions);
    connect(m_drain, &QPushButton::clicked, this, [this] {
        if (m_set && !selectedId().isEmpty())
            m_set->drain(selectedId());
    });
    connect(m_restart, &QPushButton::clicked, this, [this] {
        if (m_set && !selectedId().isEmpty())
            m_set->restart(selectedId());
    });
    connect(m_logs, &QPushButton::clicked, this, &ReplicasDock::showLogs);
    m_uptimeTimer->setInterval(1000);
    connect(m_uptimeTimer, &QTimer::timeout, m_model, &ReplicaTableModel::refreshUptime);
    connect(m_uptimeTimer, &QTimer::timeout, m_model, &ReplicaTableModel::sampleProcesses);
    updateActions();
}

void ReplicasDock::setReplicaSet(ReplicaSet* set)
{
    if (m_set)
        m_set->disconnect(this);
    m_set = set;
    m_model->setReplicaSet(set);
    if (set) {
        connect(set, &ReplicaSet::event, this,
                [this](const QString& message) { m_event->setText(message); });
        connect(set, &ReplicaSet::replicasChanged, this, &ReplicasDock::updateActions);
        m_model->sampleProcesses(); // memory at once, CPU from the next tick
        m_uptimeTimer->start();
    } else {
        m_uptimeTimer->stop();
    }
    updateActions();
}

void ReplicasDock::setLogPathResolver(std::function<QString(const QString&)> resolver)
{
    m_logPath = std::move(resolver);
    updateActions();
}

QString ReplicasDock::selectedId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ReplicaTableModel::IdRole).toString();
}

void ReplicasDock::updateActions()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    const auto state = rows.isEmpty()
                           ? ReplicaState::Stopped
                           : ReplicaState(rows.first().data(ReplicaTableModel::StateRole).toInt());
    const bool live = !rows.isEmpty() && m_set &&
                      (state == ReplicaState::Ready || state == ReplicaState::Starting);
    m_drain->setEnabled(live);
    m_restart->setEnabled(!rows.isEmpty() && m_set && state != ReplicaState::Draining);
    m_logs->setEnabled(!rows.isEmpty() && m_logPath && !m_logPath(selectedId()).isEmpty());
    if (!m_set) {
        m_summary->setText(tr("No fleet"));
        return;
    }
    int ready = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        ready += m_model->index(row, 0).data(ReplicaTableModel::StateRole).toInt() ==
                         int(ReplicaState::Ready)
                     ? 1
                     : 0;
    m_summary->setText(tr("%1 of %2 ready, %3 wanted (%4)")
                           .arg(ready)
                           .arg(m_model->rowCount())
                           .arg(m_set->desiredCount())
                           .arg(m_set->kind()));
}

QString ReplicasDock::readLogTail(const QString& path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return tr("Cannot open %1: %2").arg(path, file.errorString());
    if (file.size() > maxBytes) {
        file.seek(file.size() - maxBytes);
        file.readLine(); // start at a whole line
    }
    return QString::fromUtf8(file.readAll());
}

void ReplicasDock::showLogs()
{
    const QString id = selectedId();
    const QString path = m_logPath ? m_logPath(id) : QString();
    if (path.isEmpty())
        return;
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("replicaLogViewer"));
    dialog->setWindowTitle(tr("Replica %1 — %2").arg(id, path));
    auto* text = new QPlainTextEdit(dialog);
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::NoWrap);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text->setPlainText(readLogTail(path));
    text->verticalScrollBar()->setValue(text->verticalScrollBar()->maximum());
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(close, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(text, 1);
    layout->addWidget(close);
    dialog->resize(900, 500);
    dialog->show();
    emit logsShown(dialog);
}

} // namespace querydeck
