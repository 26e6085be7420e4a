#include "ui/wall/WallWindow.h"

#include "backend/metrics/PromDuration.h"
#include "ui/common/AlertColors.h"
#include "ui/dashboards/PanelWidget.h"
#include "ui/wall/WallDashboardView.h"

#include <QDateTime>
#include <QFontMetrics>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QScreen>
#include <QShortcut>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace querydeck {

namespace {
// Type as a share of the window height (the shorter side), so 1080p and 4K look alike and stay
// readable from across a room: 2% (~22 px at 1080p) for the dashboard name
// and banner, 1.6% for row titles, 1.3% for panel text (panels draw their
// wall titles 1.6× that, ~2.1%).
constexpr double kBaseShare = 0.02;
constexpr double kRowTitleShare = 0.016;
constexpr double kPanelShare = 0.013;
constexpr double kClockShare = 0.05;
} // namespace

WallWindow::WallWindow(QWidget* parent)
    : QWidget(parent, Qt::Window | Qt::FramelessWindowHint)
{
    setObjectName(QStringLiteral("wallWindow"));
    setWindowTitle(tr("QueryDeck wall"));
    setCursor(Qt::BlankCursor);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("wallTitle"));
    // A long name is elided, never allowed to widen a fullscreen window.
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_clock = new QLabel(this);
    m_clock->setObjectName(QStringLiteral("wallClock"));
    m_clock->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("wallBanner"));
    m_banner->setWordWrap(true);
    m_banner->hide();
    m_alertBanner = new QLabel(this);
    m_alertBanner->setObjectName(QStringLiteral("wallAlertBanner"));
    m_alertBanner->setWordWrap(true);
    m_alertBanner->hide();
    m_hint = new QLabel(tr("%1 to leave").arg(QLatin1String(kLeaveChord)), this);
    m_hint->setObjectName(QStringLiteral("wallHint"));
    m_hint->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_view = new WallDashboardView(this);
    connect(m_view, &WallDashboardView::panelWidthsChanged, this,
            [this] { emit panelsChanged(m_view->panelQueries()); });

    // The hint sits in the top bar, next to the clock: a line of its own
    // would cost the charts height.
    auto* top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_hint, 0, Qt::AlignBottom);
    top->addSpacing(16);
    top->addWidget(m_clock);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_alertBanner);
    layout->addWidget(m_banner);
    layout->addWidget(m_view, 1);

    m_rotate = new QTimer(this);
    connect(m_rotate, &QTimer::timeout, this, &WallWindow::next);
    m_clockTimer = new QTimer(this);
    m_clockTimer->setInterval(1000);
    connect(m_clockTimer, &QTimer::timeout, this, &WallWindow::updateClock);
    m_clockTimer->start();
    updateClock();

    auto* leave = new QShortcut(QKeySequence(QLatin1String(kLeaveChord)), this);
    leave->setContext(Qt::WindowShortcut);
    connect(leave, &QShortcut::activated, this, &QWidget::close);
    applyScale();
}

WallWindow::~WallWindow() = default;

void WallWindow::setDashboards(const QList<DashboardDefinition>& dashboards, int rotateSeconds)
{
    m_dashboards = dashboards;
    m_current = -1;
    setRotationIntervalMs(rotateSeconds > 0 ? rotateSeconds * 1000 : 0);
    if (!m_dashboards.isEmpty())
        showDashboard(0);
}

void WallWindow::setRotationIntervalMs(int ms)
{
    m_rotate->stop();
    if (ms > 0 && m_dashboards.size() > 1) {
        m_rotate->setInterval(ms);
        m_rotate->start();
    } else if (ms > 0) {
        m_rotate->setInterval(ms); // remembered for when more dashboards arrive
    }
}

int WallWindow::rotationIntervalMs() const
{
    return m_rotate->isActive() ? m_rotate->interval() : 0;
}

QString WallWindow::currentTitle() const
{
    return m_current >= 0 ? m_dashboards.at(m_current).title : QString();
}

QList<PanelQuery> WallWindow::panelQueries() const
{
    return m_view->panelQueries();
}

void WallWindow::showDashboard(int index)
{
    if (index < 0 || index >= m_dashboards.size() || index == m_current)
        return;
    m_current = index;
    const DashboardDefinition& d = m_dashboards.at(index);
    m_view->setDashboard(d);
    QString title = d.title;
    if (m_dashboards.size() > 1)
        title += QStringLiteral("   %1/%2").arg(index + 1).arg(m_dashboards.size());
    m_titleText = title;
    m_title->setAccessibleName(title);
    updateTitle();
    emit dashboardChanged(index, d.title);
    emit panelsChanged(m_view->panelQueries());
}

void WallWindow::next()
{
    if (m_dashboards.size() > 1)
        showDashboard((m_current + 1) % int(m_dashboards.size()));
}

bool WallWindow::setScreen(int index)
{
    const QList<QScreen*> screens = QGuiApplication::screens();
    if (index < 0 || index >= screens.size())
        return false;
    QScreen* screen = screens.at(index);
    QWidget::setScreen(screen);
    setGeometry(screen->geometry());
    return true;
}

void WallWindow::showPanelData(const QList<PanelData>& data)
{
    m_view->showPanelData(data);
}

void WallWindow::showSourceStatus(const QList<SourceStatus>& status)
{
    QStringList errors;
    QStringList stale;
    for (const SourceStatus& s : status) {
        const QString name = s.description.isEmpty() ? s.id : s.description;
        if (s.health == SourceHealth::Error)
            errors << tr("Data source %1: error %2")
                          .arg(name, s.lastError.isEmpty() ? tr("(no detail)") : s.lastError);
        else if (s.health == SourceHealth::Stale && s.lastSuccessMs > 0)
            stale << tr("Data source %1: stale, no data since %2")
                         .arg(name, QDateTime::fromMSecsSinceEpoch(s.lastSuccessMs)
                                        .toString(QStringLiteral("HH:mm:ss")));
    }
    const QStringList lines = errors + stale;
    m_banner->setVisible(!lines.isEmpty());
    m_banner->setText(lines.join(QLatin1Char('\n')));
    m_banner->setProperty("severity",
                          errors.isEmpty() ? QStringLiteral("warning") : QStringLiteral("error"));
    applyScale();
}

void WallWindow::setAlertRules(const std::vector<AlertRule>& rules)
{
    m_rules = rules;
    m_view->setAlertRules(rules);
}

int WallWindow::dashboardFor(const QString& ruleName) const
{
    for (const AlertRule& rule : m_rules) {
        if (rule.name != ruleName)
            continue;
        for (int i = 0; i < m_dashboards.size(); ++i)
            for (const RowDefinition& row : m_dashboards.at(i).rows)
                for (const PanelDefinition& panel : row.panels)
                    if (PanelWidget::ruleMatches(rule, panel))
                        return i;
    }
    return -1;
}

void WallWindow::setAlerts(const QList<AlertInstance>& alerts)
{
    QList<const AlertInstance*> firing;
    for (const AlertInstance& a : alerts) {
        const bool active =
            a.status.state == AlertState::Firing || a.status.state == AlertState::Recovering;
        if (active && !a.silenced && a.severity != AlertSeverity::Info)
            firing << &a;
    }
    std::sort(firing.begin(), firing.end(), [](const AlertInstance* l, const AlertInstance* r) {
        if (l->severity != r->severity)
            return int(l->severity) < int(r->severity);
        return l->status.firingSinceMs < r->status.firingSinceMs;
    });

    // Jump to what just started firing, the most severe and oldest first.
    QSet<QString> keys;
    int jumpTo = -1;
    for (const AlertInstance* a : std::as_const(firing)) {
        keys.insert(a->key());
        if (jumpTo < 0 && !m_firingKeys.contains(a->key()))
            jumpTo = dashboardFor(a->ruleName);
    }
    m_firingKeys = keys;
    if (jumpTo >= 0 && jumpTo != m_current) {
        showDashboard(jumpTo);
        if (m_rotate->isActive())
            m_rotate->start(); // a full turn on it before rotating on
    }

    if (firing.isEmpty()) {
        m_alertBanner->hide();
        m_alertBanner->clear();
        return;
    }
    const AlertInstance* oldest = firing.first();
    for (const AlertInstance* a : std::as_const(firing))
        if (a->status.firingSinceMs > 0 && a->status.firingSinceMs < oldest->status.firingSinceMs)
            oldest = a;
    int critical = 0;
    for (const AlertInstance* a : std::as_const(firing))
        critical += a->severity == AlertSeverity::Critical ? 1 : 0;
    const qint64 since = oldest->status.firingSinceMs > 0 ? oldest->status.firingSinceMs
                                                          : oldest->status.stateSinceMs;
    const qint64 ago = std::max<qint64>(0, QDateTime::currentMSecsSinceEpoch() - since) / 60000;
    QString text =
        firing.size() == 1 ? tr("1 alert firing") : tr("%1 alerts firing").arg(firing.size());
    if (critical > 0)
        text += tr(" (%1 critical)").arg(critical);
    text +=
        tr(" — oldest: %1%2 since %3 (%4)")
            .arg(oldest->ruleName,
                 oldest->labels.isEmpty()
                     ? QString()
                     : QStringLiteral(" {%1}").arg(QStringList(oldest->labels.values()).join(", ")),
                 QDateTime::fromMSecsSinceEpoch(since).toString(QStringLiteral("HH:mm")),
                 ago > 0 ? PromDuration::format(ago * 60000) : tr("just now"));
    if (!oldest->summary.isEmpty())
        text += QStringLiteral(": ") + oldest->summary;
    m_alertBanner->setText(text);
    m_alertBanner->setProperty("severity", critical > 0 ? QStringLiteral("critical")
                                                        : QStringLiteral("warning"));
    m_alertBanner->show();
    applyScale();
}

void WallWindow::updateTitle()
{
    const int available = width() - m_clock->sizeHint().width() - m_hint->sizeHint().width() -
                          layout()->contentsMargins().left() - layout()->contentsMargins().right() -
                          32;
    m_title->setText(QFontMetrics(m_title->font())
                         .elidedText(m_titleText, Qt::ElideRight, std::max(0, available)));
}

void WallWindow::updateClock()
{
    m_clock->setText(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")));
}

void WallWindow::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    applyScale();
}

void WallWindow::keyPressEvent(QKeyEvent* event)
{
    // A wall must not close from a stray Escape; only the chord leaves.
    if (event->key() == Qt::Key_Escape) {
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void WallWindow::applyScale()
{
    // Type follows the shorter side: on a portrait screen the height would
    // make titles too wide for the narrow panels.
    const int h = std::max(std::min(width(), height()), 200);
    m_basePixels = std::max(12, int(h * kBaseShare + 0.5));
    const int margin = std::max(6, h / 100);
    layout()->setContentsMargins(margin, margin / 2, margin, margin / 2);
    layout()->setSpacing(margin / 2);

    QFont titleFont = font();
    titleFont.setPixelSize(int(m_basePixels * 1.3));
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    QFont clockFont = font();
    clockFont.setPixelSize(std::max(24, int(h * kClockShare)));
    clockFont.setBold(true);
    m_clock->setFont(clockFont);
    QFont bannerFont = font();
    bannerFont.setPixelSize(int(m_basePixels * 1.2));
    bannerFont.setBold(true);
    m_banner->setFont(bannerFont);
    const bool error = m_banner->property("severity").toString() == QStringLiteral("error");
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; padding: %2px; "
                                           "border-radius: 4px; }")
                                .arg(error ? QStringLiteral("#c4162a") : QStringLiteral("#b86e00"))
                                .arg(margin / 2));
    m_alertBanner->setFont(bannerFont);
    const bool critical = m_alertBanner->property("severity").toString() == u"critical";
    m_alertBanner->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: %2; padding: %3px; border-radius: 4px; }")
            .arg(severityColor(critical ? AlertSeverity::Critical : AlertSeverity::Warning).name(),
                 critical ? QStringLiteral("white") : QStringLiteral("black"))
            .arg(margin / 2));
    QFont hintFont = font();
    hintFont.setPixelSize(std::max(11, m_basePixels / 2));
    m_hint->setFont(hintFont);
    m_hint->setStyleSheet(QStringLiteral("QLabel { color: #8e8e8e; }"));
    updateTitle();
    m_view->setFontPixelSizes(int(std::ceil(h * kRowTitleShare)), int(std::ceil(h * kPanelShare)));
}

} // namespace querydeck
