#include "ui/redis/RedisTopologyDock.h"

#include "models/RedisTopologyModel.h"
#include "ui/common/RecordTable.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace querydeck {

namespace {

QLabel* banner(QWidget* parent, const QString& name, const QString& background)
{
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; padding: 4px 8px; "
                                        "border-radius: 3px; }")
                             .arg(background));
    label->hide();
    return label;
}

// The State column in green or red, from the model's HealthyRole.
class StateDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const bool healthy = index.data(RedisTopologyModel::HealthyRole).toBool();
        const QColor color = healthy ? QColor(0x2e, 0x9e, 0x4f) : QColor(0xd0, 0x3b, 0x3b);
        option->palette.setColor(QPalette::Text, color);
        option->palette.setColor(QPalette::HighlightedText, color);
        option->font.setBold(!healthy);
    }
};

QString timeOf(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs).toString(QStringLiteral("HH:mm:ss"));
}

} // namespace

RedisTopologyDock::RedisTopologyDock(QWidget* parent)
    : QDockWidget(tr("Redis"), parent)
    , m_model(new RedisTopologyModel(this))
{
    setObjectName(QStringLiteral("redisDock"));
    auto* host = new QWidget(this);
    m_status = new QLabel(tr("Redis: waiting for the first refresh…"), host);
    m_status->setObjectName(QStringLiteral("redisStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refresh = new QPushButton(tr("Re&fresh"), host);
    m_refresh->setObjectName(QStringLiteral("redisRefresh"));
    m_refresh->setToolTip(tr("Read the topology again now"));
    m_failover = new QPushButton(tr("Fail&over…"), host);
    m_failover->setObjectName(QStringLiteral("redisFailover"));
    m_failover->setToolTip(tr("Open the Redis failover wizard for this topology"));
    m_error = banner(host, QStringLiteral("redisError"), QStringLiteral("#c0392b"));
    m_settings = banner(host, QStringLiteral("redisSettingsWarning"), QStringLiteral("#b86e00"));

    m_view =
        createRecordTable(m_model, QStringLiteral("redisTopologyView"), tr("Redis topology"), host);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    m_view->setItemDelegateForColumn(RedisTopologyModel::StateColumn, new StateDelegate(m_view));

    auto* top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_refresh);
    top->addWidget(m_failover);
    auto* layout = new QVBoxLayout(host);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_error);
    layout->addWidget(m_settings);
    layout->addWidget(m_view, 1);
    setWidget(host);

    connect(m_refresh, &QPushButton::clicked, this, &RedisTopologyDock::refreshRequested);
    connect(m_failover, &QPushButton::clicked, this, &RedisTopologyDock::failoverRequested);
}

QString RedisTopologyDock::settingsText(const RedisTopologyStatus& status)
{
    const QString file = QLatin1String(RedisSettingsCheck::kRecommendedFile);
    if (!status.settingsError.isEmpty())
        return tr("Cannot compare %1 with the recommended settings (%2): %3")
            .arg(status.settingsServer, file, status.settingsError.toHtmlEscaped());
    if (status.settings.isEmpty())
        return {};
    QString items;
    for (const RedisSettingsCheck::Difference& d : status.settings)
        items += tr("<li><b>%1</b> is <b>%2</b>, recommended <b>%3</b> — %4</li>")
                     .arg(d.name.toHtmlEscaped(), d.actual.toHtmlEscaped(),
                          d.recommended.toHtmlEscaped(), d.why.toHtmlEscaped());
    return tr("⚠ Redis master %1 differs from the recommended settings in <b>%2</b>:"
              "<ul style=\"margin: 2px 0 0 -24px;\">%3</ul>")
        .arg(status.settingsServer.toHtmlEscaped(), file, items);
}

void RedisTopologyDock::showStatus(const RedisTopologyStatus& status)
{
    m_model->setTopology(status.topology);
    const RedisTopology& topology = status.topology;
    QString where = status.target;
    if (topology.kind == RedisTopology::Kind::Direct)
        where += tr(" · no sentinels configured");
    else if (topology.kind == RedisTopology::Kind::Sentinel && topology.quorum > 0)
        where += tr(" · quorum %1").arg(topology.quorum);
    m_status->setText(tr("Redis %1 · last refreshed %2").arg(where, timeOf(status.refreshedAtMs)));
    m_error->setText(status.error.isEmpty() ? QString()
                                            : tr("⚠ %1").arg(status.error.toHtmlEscaped()));
    m_error->setVisible(!status.error.isEmpty());
    const QString settings = settingsText(status);
    m_settings->setText(settings);
    m_settings->setVisible(!settings.isEmpty());
}

} // namespace querydeck
