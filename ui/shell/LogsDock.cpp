#include "ui/shell/LogsDock.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace querydeck {

LogsDock::LogsDock(QWidget* parent)
    : QDockWidget(tr("Logs"), parent)
{
    setObjectName(QStringLiteral("logsDock"));
    auto* host = new QWidget(this);
    m_level = new QComboBox(host);
    m_level->setObjectName(QStringLiteral("logLevel"));
    m_level->setAccessibleName(tr("Minimum log level"));
    m_level->addItem(tr("All levels"), 0);
    m_level->addItem(tr("Debug and above"), 1);
    m_level->addItem(tr("Info and above"), 2);
    m_level->addItem(tr("Warnings and above"), 3);
    m_level->addItem(tr("Errors and above"), 4);
    m_level->addItem(tr("Critical only"), 5);
    m_level->setCurrentIndex(2);
    m_filter = new QLineEdit(host);
    m_filter->setObjectName(QStringLiteral("logFilter"));
    m_filter->setPlaceholderText(tr("Filter logs…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Log text filter"));
    m_view = new QTableView(host);
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(true);

    m_defaultProxy = new QSortFilterProxyModel(this);
    m_defaultProxy->setFilterKeyColumn(-1);
    m_defaultProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy = m_defaultProxy;
    m_view->setModel(m_proxy);

    auto* line = new QHBoxLayout;
    auto* levelLabel = new QLabel(tr("&Level"), host);
    levelLabel->setBuddy(m_level);
    line->addWidget(levelLabel);
    line->addWidget(m_level);
    line->addWidget(m_filter, 1);
    auto* layout = new QVBoxLayout(host);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(line);
    layout->addWidget(m_view, 1);
    setWidget(host);
    setTabOrder(m_level, m_filter);
    setTabOrder(m_filter, m_view);

    connect(m_level, &QComboBox::currentIndexChanged, this,
            [this] { emit levelFilterChanged(minimumLevel()); });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        applyDefaultFilter();
        emit textFilterChanged(text);
    });
}

int LogsDock::minimumLevel() const
{
    return m_level->currentData().toInt();
}

QString LogsDock::textFilter() const
{
    return m_filter->text();
}

void LogsDock::applyDefaultFilter()
{
    if (m_proxy == m_defaultProxy)
        m_defaultProxy->setFilterFixedString(m_filter->text());
}

void LogsDock::setLogModel(QAbstractItemModel* model)
{
    m_model = model;
    m_proxy->setSourceModel(model);
    // A one-column list model (one formatted line per record) needs no header.
    m_view->horizontalHeader()->setVisible(model && model->columnCount() > 1);
    disconnect(m_follow);
    // Follow the tail like `tail -f`, unless the user scrolled away from it.
    m_follow = connect(m_proxy, &QAbstractItemModel::rowsInserted, m_view, [this] {
        QScrollBar* bar = m_view->verticalScrollBar();
        if (bar->value() >= bar->maximum() - 2)
            m_view->scrollToBottom();
    });
}

void LogsDock::setFilterProxy(QSortFilterProxyModel* proxy)
{
    if (!proxy)
        proxy = m_defaultProxy;
    m_proxy = proxy;
    if (m_model && proxy->sourceModel() != m_model)
        proxy->setSourceModel(m_model);
    m_view->setModel(proxy);
    applyDefaultFilter();
    if (m_model)
        setLogModel(m_model);
    // Bring a newly connected proxy up to what the controls show.
    emit levelFilterChanged(minimumLevel());
    emit textFilterChanged(textFilter());
}

} // namespace querydeck
