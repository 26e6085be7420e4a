#include "ui/dashboards/PanelWidget.h"

#include "backend/dashboards/UnitFormat.h"
#include "ui/common/Theme.h"
#include "ui/dashboards/GaugePanel.h"
#include "ui/dashboards/StatPanel.h"
#include "ui/dashboards/TablePanel.h"
#include "ui/dashboards/TimeSeriesPanel.h"

#include <QEvent>
#include <QFocusEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

namespace querydeck {

PanelWidget* PanelWidget::create(const PanelDefinition& definition, QWidget* parent)
{
    switch (definition.type) {
    case PanelType::TimeSeries:
        return new TimeSeriesPanel(definition, parent);
    case PanelType::Stat:
        return new StatPanel(definition, parent);
    case PanelType::Gauge:
        return new GaugePanel(definition, parent);
    case PanelType::Table:
        return new TablePanel(definition, parent);
    }
    return new TimeSeriesPanel(definition, parent);
}

PanelWidget::PanelWidget(const PanelDefinition& definition, QWidget* parent)
    : QFrame(parent)
    , m_definition(definition)
{
    setObjectName(definition.id);
    setFrameShape(QFrame::NoFrame);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_data.panelId = definition.id;

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("panelTitle"));
    // Ignored width: a long title is elided instead of widening the panel.
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setToolTip(definition.description.isEmpty() ? definition.title
                                                         : definition.description);
    m_title->installEventFilter(this);

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("panelNotice"));
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->hide();

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("panelError"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setText(QStringLiteral("⚠"));
    m_error->hide();

    m_menuButton = new QToolButton(this);
    m_menuButton->setObjectName(QStringLiteral("panelMenuButton"));
    m_menuButton->setText(QStringLiteral("⋮"));
    m_menuButton->setAutoRaise(true);
    m_menuButton->setFocusPolicy(Qt::StrongFocus);
    m_menuButton->setPopupMode(QToolButton::InstantPopup);
    m_menuButton->setToolTip(tr("Panel menu"));
    m_menuButton->setAccessibleName(tr("Panel menu: %1").arg(definition.title));
    m_menuButton->installEventFilter(this);

    auto* menu = new QMenu(m_menuButton);
    QAction* maximize = menu->addAction(tr("&Maximise"));
    maximize->setObjectName(QStringLiteral("maximizeAction"));
    QAction* inspect = menu->addAction(tr("&Inspect"));
    inspect->setObjectName(QStringLiteral("inspectAction"));
    QAction* exportPng = menu->addAction(tr("&Export PNG…"));
    exportPng->setObjectName(QStringLiteral("exportAction"));
    connect(maximize, &QAction::triggered, this,
            [this] { emit maximizeRequested(m_definition.id); });
    connect(inspect, &QAction::triggered, this, [this] { emit inspectRequested(m_definition.id); });
    connect(exportPng, &QAction::triggered, this,
            [this] { emit exportRequested(m_definition.id); });
    m_menuButton->setMenu(menu);

    auto* titleBar = new QHBoxLayout;
    titleBar->setContentsMargins(0, 0, 0, 0);
    titleBar->addWidget(m_title, 1);
    titleBar->addWidget(m_notice);
    titleBar->addWidget(m_error);
    titleBar->addWidget(m_menuButton);

    m_body = new QWidget(this);
    m_body->setObjectName(QStringLiteral("panelBody"));

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(titleBar);
    layout->addWidget(m_body, 1);

    applyChrome();
}

void PanelWidget::setData(const PanelData& data)
{
    m_data = data;
    m_error->setVisible(!data.error.isEmpty());
    m_error->setToolTip(data.error);
    updateBody();
}

void PanelWidget::setAlertRules(const std::vector<AlertRule>& rules)
{
    std::vector<AlertRule> matching;
    for (const AlertRule& rule : rules) {
        if (rule.enabled && ruleMatches(rule, m_definition))
            matching.push_back(rule);
    }
    m_alertRules = std::move(matching);
    alertRulesChanged();
}

bool PanelWidget::ruleMatches(const AlertRule& rule, const PanelDefinition& definition)
{
    // Identical text only: two spellings of one query are not recognised, but
    // a rule never lands on a panel that shows something else.
    const QString expr = rule.expression.trimmed();
    for (const PanelTarget& target : definition.targets) {
        if (!expr.isEmpty() && target.expr.trimmed() == expr)
            return true;
    }
    return false;
}

void PanelWidget::setWallMode(bool wall)
{
    if (m_wall == wall)
        return;
    m_wall = wall;
    m_menuButton->setVisible(!wall);
    applyChrome();
    updateBody();
}

QString PanelWidget::formatValue(double value) const
{
    return UnitFormat::format(value, m_definition.unit, m_definition.decimals);
}

QColor PanelWidget::colorFor(double value) const
{
    if (std::isnan(value))
        return Theme::color(Theme::Role::MutedText);
    QString name;
    for (const Threshold& step : m_definition.thresholds) {
        if (value >= step.value) // the base step is -inf
            name = step.color;
    }
    return name.isEmpty() ? Theme::color(QStringLiteral("green")) : Theme::color(name);
}

double PanelWidget::lastValue(const EvaluatedSeries& series)
{
    for (auto it = series.points.rbegin(); it != series.points.rend(); ++it) {
        if (std::isfinite(it->v))
            return it->v;
    }
    return std::numeric_limits<double>::quiet_NaN();
}

void PanelWidget::setNotice(const QString& text, const QString& toolTip)
{
    m_notice->setText(text);
    m_notice->setToolTip(toolTip);
    m_notice->setVisible(!text.isEmpty());
}

void PanelWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), Theme::color(Theme::Role::Background));
    painter.setPen(QPen(Theme::color(Theme::Role::PanelBorder), 1));
    painter.setBrush(Theme::color(Theme::Role::Panel));
    const qreal radius = fontMetrics().height() / 8.0;
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);
}

void PanelWidget::changeEvent(QEvent* event)
{
    QFrame::changeEvent(event);
    const auto type = event->type();
    if ((type == QEvent::PaletteChange || type == QEvent::ApplicationPaletteChange ||
         type == QEvent::StyleChange || type == QEvent::FontChange) &&
        !m_inThemeChange) {
        m_inThemeChange = true;
        applyChrome();
        themeChanged();
        m_inThemeChange = false;
    }
}

bool PanelWidget::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_title && event->type() == QEvent::Resize)
        updateTitle();
    // The focus ring shows for keyboard focus only (like :focus-visible), so the
    // first panel does not wear one just because the window was activated.
    if (watched == m_menuButton &&
        (event->type() == QEvent::FocusIn || event->type() == QEvent::FocusOut)) {
        const auto* focus = static_cast<QFocusEvent*>(event);
        const bool keyboard =
            event->type() == QEvent::FocusIn &&
            (focus->reason() == Qt::TabFocusReason || focus->reason() == Qt::BacktabFocusReason ||
             focus->reason() == Qt::ShortcutFocusReason);
        if (m_menuButton->property("keyboardFocus").toBool() != keyboard) {
            m_menuButton->setProperty("keyboardFocus", keyboard);
            m_menuButton->style()->unpolish(m_menuButton);
            m_menuButton->style()->polish(m_menuButton);
        }
    }
    return QFrame::eventFilter(watched, event);
}

void PanelWidget::applyChrome()
{
    // Everything is sized from the font so the chrome scales with DPI and wall mode.
    QFont titleFont = font();
    titleFont.setWeight(QFont::DemiBold);
    if (m_wall)
        titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    m_title->setFont(titleFont);

    const int line = QFontMetrics(titleFont).height();
    if (auto* box = qobject_cast<QVBoxLayout*>(layout())) {
        box->setContentsMargins(line / 2, line / 3, line / 2, line / 2);
        box->setSpacing(line / 3);
    }
    m_menuButton->setFixedSize(line * 4 / 3, line * 4 / 3);

    QPalette titlePalette = m_title->palette();
    titlePalette.setColor(QPalette::WindowText, Theme::color(Theme::Role::MutedText));
    m_title->setPalette(titlePalette);
    QPalette noticePalette = m_notice->palette();
    noticePalette.setColor(QPalette::WindowText, Theme::color(Theme::Role::MutedText));
    m_notice->setPalette(noticePalette);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, Theme::color(QStringLiteral("red")));
    m_error->setPalette(errorPalette);
    QPalette buttonPalette = m_menuButton->palette();
    buttonPalette.setColor(QPalette::ButtonText, Theme::color(Theme::Role::MutedText));
    m_menuButton->setPalette(buttonPalette);
    updateTitle();
    update();
}

void PanelWidget::updateTitle()
{
    const QString elided = m_title->fontMetrics().elidedText(m_definition.title, Qt::ElideRight,
                                                             std::max(0, m_title->width()));
    if (m_title->text() != elided)
        m_title->setText(elided);
}

} // namespace querydeck
