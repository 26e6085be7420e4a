#include "ui/dashboards/DashboardView.h"

#include "ui/dashboards/InspectDialog.h"
#include "ui/dashboards/PanelExport.h"
#include "ui/dashboards/PanelWidget.h"

#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSettings>
#include <QShortcut>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace querydeck {

namespace {
constexpr int kPanelHeight = 240;
// 12 cells divide evenly into lines of 1, 2, 3, 4 or 6 panels.
constexpr int kGridCells = 12;

QString safeFileName(QString name)
{
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]+"));
    name.replace(unsafe, QStringLiteral("-"));
    return name.isEmpty() ? QStringLiteral("panel") : name;
}
} // namespace

DashboardView::DashboardView(QWidget* parent)
    : QWidget(parent)
{
    m_stack = new QStackedWidget(this);

    m_scroll = new QScrollArea(m_stack);
    m_scroll->setObjectName(QStringLiteral("dashboardScroll"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_rowsHost = new QWidget;
    m_rowsLayout = new QVBoxLayout(m_rowsHost);
    m_rowsLayout->setContentsMargins(8, 8, 8, 8);
    m_rowsLayout->setSpacing(6);
    m_rowsLayout->addStretch(1);
    m_scroll->setWidget(m_rowsHost);
    m_stack->addWidget(m_scroll);

    m_maxPage = new QWidget(m_stack);
    m_maxPage->setObjectName(QStringLiteral("maximizedPage"));
    auto* back = new QPushButton(tr("◂ Back to dashboard (Esc)"), m_maxPage);
    back->setObjectName(QStringLiteral("backButton"));
    m_maxTitle = new QLabel(m_maxPage);
    m_maxTitle->setObjectName(QStringLiteral("maximizedHint"));
    auto* bar = new QHBoxLayout;
    bar->addWidget(back);
    bar->addSpacing(12);
    bar->addWidget(m_maxTitle, 1);
    m_maxLayout = new QVBoxLayout(m_maxPage);
    m_maxLayout->setContentsMargins(8, 8, 8, 8);
    m_maxLayout->addLayout(bar);
    m_stack->addWidget(m_maxPage);
    connect(back, &QPushButton::clicked, this, &DashboardView::restoreFromMaximized);

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("dashboardNotice"));
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->setStyleSheet(QStringLiteral(
        "QLabel { background: #b86e00; color: white; padding: 4px 8px; border-radius: 3px; }"));
    m_notice->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_notice);
    layout->addWidget(m_stack, 1);

    m_escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    m_escape->setContext(Qt::WidgetWithChildrenShortcut);
    m_escape->setEnabled(false);
    connect(m_escape, &QShortcut::activated, this, &DashboardView::restoreFromMaximized);

    m_exportPath = [this](const QString& suggested) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
        return QFileDialog::getSaveFileName(this, tr("Export panel as PNG"),
                                            QDir(dir).filePath(suggested),
                                            tr("PNG images (*.png)"));
    };
}

DashboardView::~DashboardView() = default;

QString DashboardView::settingsKey(const QString& dashboardUid, const QString& rowTitle)
{
    // QSettings treats '/' as a group separator; a row title may contain one.
    QString title = rowTitle;
    title.replace(QLatin1Char('/'), QLatin1Char('_'));
    QString uid = dashboardUid.isEmpty() ? QStringLiteral("default") : dashboardUid;
    uid.replace(QLatin1Char('/'), QLatin1Char('_'));
    return QStringLiteral("dashboards/%1/rows/%2/collapsed").arg(uid, title);
}

void DashboardView::clear()
{
    restoreFromMaximized();
    for (Row& row : m_rows) {
        delete row.header;
        delete row.body;
    }
    m_rows.clear();
    m_panels.clear();
}

void DashboardView::setDashboard(const DashboardDefinition& dashboard)
{
    m_widthsSent = false;
    clear();
    m_dashboard = dashboard;
    QSettings settings;
    int insertAt = 0;
    for (int r = 0; r < int(dashboard.rows.size()); ++r) {
        const RowDefinition& def = dashboard.rows[size_t(r)];
        Row row;
        row.header = new QToolButton(m_rowsHost);
        row.header->setObjectName(QStringLiteral("rowHeader"));
        row.header->setToolButtonStyle(Qt::ToolButtonTextOnly);
        row.header->setAutoRaise(true);
        row.header->setCheckable(true);
        // A long title is cut at the view's edge rather than widening the rows.
        row.header->setMinimumWidth(1);
        row.header->setToolTip(def.title);
        row.header->setFocusPolicy(Qt::StrongFocus);
        QFont font = row.header->font();
        font.setBold(true);
        font.setPointSizeF(font.pointSizeF() * 1.15);
        row.header->setFont(font);
        // A heading, not a pressed button; the border only shows keyboard focus.
        row.header->setStyleSheet(QStringLiteral(
            "QToolButton { border: 1px solid transparent; background: transparent; "
            "padding: 2px 4px; } QToolButton:focus { border: 1px solid palette(highlight); }"));
        row.body = new QWidget(m_rowsHost);
        auto* grid = new QGridLayout(row.body);
        grid->setContentsMargins(0, 0, 0, 4);
        grid->setSpacing(8);
        for (int c = 0; c < kGridCells; ++c)
            grid->setColumnStretch(c, 1);
        // Lines of up to kColumns spans; each line fills the width, its panels
        // sharing it in proportion to their spans (a line of three span-1
        // panels gets thirds, not three quarters and a hole).
        std::vector<std::vector<const PanelDefinition*>> lines(1);
        int used = 0;
        for (const PanelDefinition& pdef : def.panels) {
            const int span = std::clamp(pdef.span, 1, kColumns);
            if (used + span > kColumns && !lines.back().empty()) {
                lines.emplace_back();
                used = 0;
            }
            lines.back().push_back(&pdef);
            used += span;
        }
        for (int line = 0; line < int(lines.size()); ++line) {
            int spanSum = 0;
            for (const PanelDefinition* pdef : lines[size_t(line)])
                spanSum += std::clamp(pdef->span, 1, kColumns);
            int done = 0;
            int cell = 0;
            for (const PanelDefinition* pdef : lines[size_t(line)]) {
                done += std::clamp(pdef->span, 1, kColumns);
                const int end = kGridCells * done / spanSum;
                PanelWidget* panel = PanelWidget::create(*pdef, row.body);
                panel->setMinimumHeight(kPanelHeight);
                grid->addWidget(panel, line, cell, 1, end - cell);
                cell = end;
                row.panels.append(panel);
                m_panels.insert(pdef->id, panel);
                connectPanel(panel);
                panel->setAlertRules(m_alertRules);
            }
        }
        m_rowsLayout->insertWidget(insertAt++, row.header, 0, Qt::AlignLeft);
        m_rowsLayout->insertWidget(insertAt++, row.body);
        const bool collapsed =
            settings.value(settingsKey(dashboard.uid, def.title), def.collapsed).toBool();
        row.header->setChecked(!collapsed);
        row.body->setVisible(!collapsed);
        const int index = int(m_rows.size());
        connect(row.header, &QToolButton::toggled, this,
                [this, index](bool expanded) { setRowCollapsed(index, !expanded); });
        m_rows.push_back(row);
        updateHeader(index);
    }
    emit panelsChanged(panelQueries());
    if (isVisible())
        sendWidthsLater();
}

void DashboardView::setAlertRules(const std::vector<AlertRule>& rules)
{
    m_alertRules = rules;
    for (PanelWidget* panel : std::as_const(m_panels))
        panel->setAlertRules(rules);
    if (m_maxPanel)
        m_maxPanel->setAlertRules(rules);
}

void DashboardView::connectPanel(PanelWidget* panel)
{
    connect(panel, &PanelWidget::maximizeRequested, this, &DashboardView::maximizePanel);
    connect(panel, &PanelWidget::inspectRequested, this, &DashboardView::inspectPanel);
    connect(panel, &PanelWidget::exportRequested, this, &DashboardView::exportPanel);
}

void DashboardView::updateHeader(int row)
{
    const Row& r = m_rows[size_t(row)];
    const RowDefinition& def = m_dashboard.rows[size_t(row)];
    const bool collapsed = !r.header->isChecked();
    QString text = QStringLiteral("%1  %2").arg(
        collapsed ? QStringLiteral("▸") : QStringLiteral("▾"), def.title);
    if (collapsed)
        text += tr("  (%n panel(s))", nullptr, int(r.panels.size()));
    r.header->setText(text);
    r.header->setAccessibleName(
        tr("Row %1, %2").arg(def.title, collapsed ? tr("collapsed") : tr("expanded")));
}

QList<PanelQuery> DashboardView::panelQueries() const
{
    QList<PanelQuery> queries;
    for (const RowDefinition& row : m_dashboard.rows)
        for (const PanelDefinition& panel : row.panels)
            queries.append(PanelQuery{panel.id, panel.targets, panelWidth(panel.id)});
    return queries;
}

int DashboardView::panelWidth(const QString& panelId) const
{
    const PanelWidget* widget = m_panels.value(panelId);
    return widget && widget->isVisible() ? widget->width() : 0;
}

void DashboardView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (!m_widthsSent)
        sendWidthsLater();
}

void DashboardView::sendWidthsLater()
{
    m_widthsSent = true;
    // After the layout has given the panels their widths.
    QTimer::singleShot(0, this, [this] { emit panelsChanged(panelQueries()); });
}

PanelWidget* DashboardView::panel(const QString& panelId) const
{
    return m_panels.value(panelId);
}

QList<PanelWidget*> DashboardView::panels() const
{
    QList<PanelWidget*> all;
    for (const Row& row : m_rows)
        all.append(row.panels);
    return all;
}

QToolButton* DashboardView::rowHeader(int row) const
{
    return row >= 0 && row < rowCount() ? m_rows[size_t(row)].header : nullptr;
}

bool DashboardView::isRowCollapsed(int row) const
{
    return row >= 0 && row < rowCount() && !m_rows[size_t(row)].header->isChecked();
}

void DashboardView::setRowCollapsed(int row, bool collapsed)
{
    if (row < 0 || row >= rowCount())
        return;
    Row& r = m_rows[size_t(row)];
    if (r.header->isChecked() == collapsed) {
        const QSignalBlocker block(r.header);
        r.header->setChecked(!collapsed);
    }
    r.body->setVisible(!collapsed);
    updateHeader(row);
    QSettings().setValue(settingsKey(m_dashboard.uid, m_dashboard.rows[size_t(row)].title),
                         collapsed);
    emit rowCollapsedChanged(row, collapsed);
}

void DashboardView::showPanelData(const QList<PanelData>& data)
{
    for (const PanelData& d : data) {
        if (PanelWidget* p = m_panels.value(d.panelId))
            p->setData(d);
        if (m_maxPanel && m_maxPanel->definition().id == d.panelId)
            m_maxPanel->setData(d);
    }
}

void DashboardView::maximizePanel(const QString& panelId)
{
    PanelWidget* source = m_panels.value(panelId);
    if (!source)
        return;
    if (m_maxPanel)
        delete m_maxPanel;
    // A second widget of the same definition: the grid keeps its layout and
    // the big one draws at full size instead of being stretched.
    m_maxPanel = PanelWidget::create(source->definition(), m_maxPage);
    m_maxPanel->setObjectName(QStringLiteral("maximizedPanel"));
    m_maxPanel->setData(source->data());
    m_maxPanel->setAlertRules(m_alertRules);
    connect(m_maxPanel, &PanelWidget::maximizeRequested, this,
            &DashboardView::restoreFromMaximized);
    connect(m_maxPanel, &PanelWidget::inspectRequested, this, &DashboardView::inspectPanel);
    connect(m_maxPanel, &PanelWidget::exportRequested, this, &DashboardView::exportPanel);
    m_maxLayout->addWidget(m_maxPanel, 1);
    m_maxTitle->setText(tr("Showing one panel of “%1”").arg(m_dashboard.title));
    m_stack->setCurrentWidget(m_maxPage);
    m_escape->setEnabled(true);
    m_maxPanel->setFocus();
    emit maximizedChanged(panelId);
}

void DashboardView::restoreFromMaximized()
{
    if (!m_maxPanel && m_stack->currentWidget() != m_maxPage)
        return;
    const QString id = m_maxPanel ? m_maxPanel->definition().id : QString();
    if (m_maxPanel)
        m_maxPanel->deleteLater();
    m_maxPanel = nullptr;
    m_escape->setEnabled(false);
    m_stack->setCurrentWidget(m_scroll);
    if (PanelWidget* p = m_panels.value(id)) {
        m_scroll->ensureWidgetVisible(p);
        p->setFocus();
    }
    emit maximizedChanged(QString());
}

void DashboardView::inspectPanel(const QString& panelId)
{
    PanelWidget* p = m_panels.value(panelId);
    if (!p)
        return;
    // Non-modal: the dashboard keeps refreshing behind the snapshot.
    auto* dialog = new InspectDialog(p->definition().title, p->data(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void DashboardView::exportPanel(const QString& panelId)
{
    PanelWidget* p = m_panels.value(panelId);
    if (m_maxPanel && m_maxPanel->definition().id == panelId)
        p = m_maxPanel; // export what the user is looking at
    if (!p)
        return;
    const QString path = m_exportPath(safeFileName(p->definition().title) + QStringLiteral(".png"));
    if (path.isEmpty())
        return;
    const QString error = PanelExport::toPng(p, path);
    showNotice(error.isEmpty() ? QString() : tr("Export failed: %1").arg(error));
    emit exported(path, error);
}

void DashboardView::showNotice(const QString& text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

void DashboardView::setExportPathProvider(ExportPathProvider provider)
{
    m_exportPath = std::move(provider);
}

} // namespace querydeck
