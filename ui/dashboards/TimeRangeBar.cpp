#include "ui/dashboards/TimeRangeBar.h"

#include "ui/dashboards/CustomRangeDialog.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace querydeck {

namespace {
constexpr qint64 kMinute = 60 * 1000;
constexpr int kCustom = -1;
} // namespace

TimeRangeBar::TimeRangeBar(QWidget* parent)
    : QWidget(parent)
{
    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("timeRange"));
    m_range->setToolTip(tr("Time range"));
    m_range->setAccessibleName(tr("Time range"));
    m_range->addItem(tr("Last 5 minutes"), 5 * kMinute);
    m_range->addItem(tr("Last 15 minutes"), 15 * kMinute);
    m_range->addItem(tr("Last 1 hour"), 60 * kMinute);
    m_range->addItem(tr("Last 6 hours"), 6 * 60 * kMinute);
    m_range->addItem(tr("Last 24 hours"), 24 * 60 * kMinute);
    m_range->addItem(tr("Custom…"), kCustom);
    m_range->setCurrentIndex(m_lastPresetIndex);

    m_refresh = new QComboBox(this);
    m_refresh->setObjectName(QStringLiteral("refreshInterval"));
    m_refresh->setToolTip(tr("Refresh interval"));
    m_refresh->setAccessibleName(tr("Refresh interval"));
    m_refresh->addItem(tr("Off"), 0);
    m_refresh->addItem(tr("1s"), 1000);
    m_refresh->addItem(tr("5s"), 5000);
    m_refresh->addItem(tr("10s"), 10000);
    m_refresh->addItem(tr("30s"), 30000);
    m_refresh->setCurrentIndex(2);

    m_pause = new QToolButton(this);
    m_pause->setObjectName(QStringLiteral("pause"));
    m_pause->setCheckable(true);
    m_pause->setText(tr("Pause"));
    m_pause->setToolTip(tr("Pause refreshing (Space)"));
    m_pause->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_pause->setFocusPolicy(Qt::StrongFocus);

    m_refreshNow = new QToolButton(this);
    m_refreshNow->setObjectName(QStringLiteral("refreshNow"));
    m_refreshNow->setText(tr("Refresh now"));
    m_refreshNow->setToolTip(tr("Refresh now (Ctrl+R)"));
    m_refreshNow->setFocusPolicy(Qt::StrongFocus);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    auto* rangeLabel = new QLabel(tr("&Range"), this);
    rangeLabel->setBuddy(m_range);
    auto* refreshLabel = new QLabel(tr("Re&fresh"), this);
    refreshLabel->setBuddy(m_refresh);
    layout->addWidget(rangeLabel);
    layout->addWidget(m_range);
    layout->addSpacing(8);
    layout->addWidget(refreshLabel);
    layout->addWidget(m_refresh);
    layout->addWidget(m_pause);
    layout->addWidget(m_refreshNow);
    setTabOrder(m_range, m_refresh);
    setTabOrder(m_refresh, m_pause);
    setTabOrder(m_pause, m_refreshNow);

    connect(m_range, &QComboBox::activated, this, &TimeRangeBar::onRangeActivated);
    connect(m_refresh, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_paused)
            emit refreshIntervalChanged(refreshIntervalMs());
    });
    connect(m_pause, &QToolButton::toggled, this, &TimeRangeBar::setPaused);
    connect(m_refreshNow, &QToolButton::clicked, this, &TimeRangeBar::refreshNowRequested);
}

int TimeRangeBar::refreshIntervalMs() const
{
    return m_refresh->currentData().toInt();
}

void TimeRangeBar::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    const QSignalBlocker block(m_pause);
    m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    m_pause->setToolTip(paused ? tr("Resume refreshing (Space)") : tr("Pause refreshing (Space)"));
    emit this->paused(paused);
    emit refreshIntervalChanged(effectiveRefreshMs());
}

void TimeRangeBar::togglePaused()
{
    setPaused(!m_paused);
}

void TimeRangeBar::setCustomRange(qint64 fromMs, qint64 toMs)
{
    if (toMs <= fromMs)
        return;
    m_rangeMs = toMs - fromMs;
    m_endMs = toMs;
    const QString label =
        tr("%1 → %2").arg(QDateTime::fromMSecsSinceEpoch(fromMs).toString("MM-dd HH:mm"),
                          QDateTime::fromMSecsSinceEpoch(toMs).toString("MM-dd HH:mm"));
    const int custom = m_range->count() - 1;
    m_range->setItemText(custom, label);
    m_range->setCurrentIndex(custom);
    emit rangeChanged(m_rangeMs, m_endMs);
}

void TimeRangeBar::onRangeActivated(int index)
{
    const qint64 value = m_range->itemData(index).toLongLong();
    if (value != kCustom) {
        m_lastPresetIndex = index;
        m_range->setItemText(m_range->count() - 1, tr("Custom…"));
        m_rangeMs = value;
        m_endMs = 0;
        emit rangeChanged(m_rangeMs, m_endMs);
        return;
    }
    const QDateTime to =
        m_endMs > 0 ? QDateTime::fromMSecsSinceEpoch(m_endMs) : QDateTime::currentDateTime();
    CustomRangeDialog dialog(to.addMSecs(-m_rangeMs), to, this);
    if (dialog.exec() == QDialog::Accepted) {
        setCustomRange(dialog.from().toMSecsSinceEpoch(), dialog.to().toMSecsSinceEpoch());
    } else if (m_endMs == 0) {
        m_range->setCurrentIndex(m_lastPresetIndex); // cancelled: keep showing what is in effect
    }
}

} // namespace querydeck
