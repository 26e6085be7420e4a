#include "ui/fleet/AutoscalerPanel.h"

#include "models/ScaleDecisionModel.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

namespace querydeck {

AutoscalerPanel::AutoscalerPanel(PolicyFactory policyFactory, QWidget* parent)
    : QWidget(parent)
    , m_policyFactory(std::move(policyFactory))
{
    m_mode = new QComboBox(this);
    m_mode->setObjectName("mode");
    for (AutoscaleMode mode : {AutoscaleMode::Off, AutoscaleMode::Recommend, AutoscaleMode::Apply})
        m_mode->addItem(autoscaleModeName(mode), int(mode));
    m_mode->setCurrentIndex(int(AutoscaleMode::Recommend));
    m_recommendation = new QLabel(tr("no decision yet"), this);
    m_recommendation->setObjectName("recommendation");
    QFont big = m_recommendation->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_recommendation->setFont(big);
    m_reason = new QLabel(this);
    m_reason->setObjectName("reason");
    m_reason->setWordWrap(true);

    m_model = new ScaleDecisionModel(500, this);
    m_history = new QTableView(this);
    m_history->setObjectName("history");
    m_history->setModel(m_model);
    m_history->verticalHeader()->hide();
    m_history->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Fixed widths from sample text: rows arrive one by one, and sizing to
    // contents would re-measure the whole history on every insert.
    const QFontMetrics metrics(m_history->font());
    const std::pair<int, const char*> samples[] = {
        {ScaleDecisionModel::TimeColumn, "00:00:00"},
        {ScaleDecisionModel::ChangeColumn, "10 → 10 (hold)"},
        {ScaleDecisionModel::CpuColumn, "100%"},
        {ScaleDecisionModel::LatencyColumn, "10.00 s"},
        {ScaleDecisionModel::QueueColumn, "Queue"}};
    for (const auto& [column, sample] : samples)
        m_history->setColumnWidth(column,
                                  metrics.horizontalAdvance(QString::fromUtf8(sample)) + 16);
    m_history->horizontalHeader()->setSectionResizeMode(ScaleDecisionModel::ReasonColumn,
                                                        QHeaderView::Stretch);

    m_chart = new QChart;
    m_chart->setTitle(tr("Simulation: replicas over time"));
    m_replicas = new QLineSeries(m_chart);
    m_replicas->setName(tr("replicas"));
    m_demand = new QLineSeries(m_chart);
    m_demand->setName(tr("load (replicas' worth of work)"));
    m_chart->addSeries(m_replicas);
    m_chart->addSeries(m_demand);
    m_axisX = new QValueAxis(m_chart);
    m_axisX->setTitleText(tr("minutes"));
    m_axisX->setLabelFormat("%.0f");
    m_axisY = new QValueAxis(m_chart);
    m_axisY->setLabelFormat("%.0f");
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    for (QLineSeries* s : {m_replicas, m_demand}) {
        s->attachAxis(m_axisX);
        s->attachAxis(m_axisY);
    }
    auto* chartView = new QChartView(m_chart, this);
    chartView->setObjectName("simulationChart");
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumHeight(220);
    m_profile = new QComboBox(this);
    m_profile->setObjectName("profile");
    m_profile->addItem(tr("Synthetic ramp"), qint64(0));
    m_peak = new QDoubleSpinBox(this);
    m_peak->setObjectName("peak");
    m_peak->setRange(0.5, 50.0);
    m_peak->setSingleStep(0.5);
    m_peak->setValue(6.0);
    m_peak->setPrefix(tr("peak "));
    m_peak->setSuffix(tr(" replicas' worth"));
    m_peak->setToolTip(tr("Load rising from 1 replica's worth to the peak over 10 min, held "
                          "30 min, then back to 1 for 70 min"));
    m_simulate = new QPushButton(tr("Si&mulate"), this);
    m_simulate->setObjectName("simulate");
    m_note = new QLabel(this);
    m_note->setObjectName("simulationNote");
    m_note->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Mode:"), m_mode);
    form->addRow(tr("Recommendation:"), m_recommendation);
    form->addRow(tr("Reason:"), m_reason);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_history);
    auto* chartBox = new QWidget(splitter);
    auto* chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(chartView, 1);
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_profile);
    controls->addWidget(m_peak);
    controls->addWidget(m_simulate);
    controls->addWidget(m_note, 1);
    chartLayout->addLayout(controls);
    splitter->addWidget(chartBox);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(splitter, 1);

    connect(m_mode, &QComboBox::activated, this, [this](int index) {
        emit modeRequested(AutoscaleMode(m_mode->itemData(index).toInt()));
    });
    connect(m_simulate, &QPushButton::clicked, this, &AutoscalerPanel::simulate);
    connect(m_profile, &QComboBox::currentIndexChanged, this,
            [this] { m_peak->setVisible(m_profile->currentData().toLongLong() == 0); });
    m_simulate->setEnabled(bool(m_policyFactory));
}

AutoscalerPanel::~AutoscalerPanel() = default;

void AutoscalerPanel::setMode(AutoscaleMode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

void AutoscalerPanel::showDecision(const ScaleDecision& decision, AutoscaleMode mode)
{
    setMode(mode);
    m_model->addDecision(decision);
    m_recommendation->setText(
        decision.changes()
            ? tr("%1 → %2 replicas%3")
                  .arg(decision.current)
                  .arg(decision.desired)
                  .arg(mode == AutoscaleMode::Apply ? tr(" (applying)") : tr(" (recommended)"))
        : decision.inputs.failed > 0 ? tr("hold at %1 replicas (%2 failed)")
                                           .arg(decision.current)
                                           .arg(decision.inputs.failed)
                                     : tr("hold at %1 replicas").arg(decision.current));
    m_reason->setText(decision.reason);
}

void AutoscalerPanel::showSimulation(const std::vector<SimulationStep>& steps)
{
    QList<QPointF> replicas;
    QList<QPointF> demand;
    if (steps.empty()) {
        m_replicas->clear();
        m_demand->clear();
        return;
    }
    const qint64 start = steps.front().snapshot.t;
    double most = 1;
    for (const SimulationStep& s : steps) {
        const double minutes = double(s.snapshot.t - start) / 60000.0;
        // A step line: the previous count up to now, then the new one.
        if (!replicas.isEmpty() && replicas.last().y() != s.snapshot.replicas)
            replicas.append({minutes, replicas.last().y()});
        replicas.append({minutes, double(s.snapshot.replicas)});
        demand.append({minutes, s.demand});
        most = std::max({most, double(s.snapshot.replicas), s.demand});
    }
    m_replicas->replace(replicas);
    m_demand->replace(demand);
    // Whole replicas and round minutes on the axes.
    const double span = std::max(1.0, replicas.last().x());
    m_axisX->setRange(0, span);
    m_axisX->setTickType(QValueAxis::TicksDynamic);
    m_axisX->setTickAnchor(0);
    m_axisX->setTickInterval(span > 120 ? 30 : span > 40 ? 10 : 5);
    const double top = std::ceil(most) + 1;
    m_axisY->setRange(0, top);
    m_axisY->setTickType(QValueAxis::TicksDynamic);
    m_axisY->setTickAnchor(0);
    m_axisY->setTickInterval(
        std::max(1.0, std::ceil(top / 5))); // about five labels: they elide when crowded
}

void AutoscalerPanel::setHistoryLoader(HistoryLoader loader)
{
    m_historyLoader = std::move(loader);
    while (m_profile->count() > 1)
        m_profile->removeItem(1);
    if (!m_historyLoader)
        return;
    for (int hours : {1, 6, 24})
        m_profile->addItem(hours == 1 ? tr("Stored history, last hour")
                                      : tr("Stored history, last %1 hours").arg(hours),
                           qint64(hours) * 3600 * 1000);
}

void AutoscalerPanel::simulate()
{
    const qint64 spanMs = m_profile->currentData().toLongLong();
    if (spanMs == 0 || !m_historyLoader) {
        simulateRamp();
        return;
    }
    m_note->setText(tr("loading stored history…"));
    const int request = ++m_request;
    m_historyLoader(spanMs, [this, request](const std::vector<LoadPoint>& profile,
                                            const QString& error) {
        if (request != m_request || !m_policyFactory)
            return;
        if (!error.isEmpty() || profile.size() < 2) {
            m_note->setText(error.isEmpty() ? tr("not enough stored history to replay") : error);
            return;
        }
        std::unique_ptr<AutoscalePolicy> policy = m_policyFactory();
        showSimulation(AutoscaleSimulator::run(*policy, profile));
        m_note->setText(tr("%1 stored points replayed").arg(profile.size()));
    });
}

void AutoscalerPanel::simulateRamp()
{
    if (!m_policyFactory)
        return;
    ++m_request; // a history load still in flight no longer applies
    std::unique_ptr<AutoscalePolicy> policy = m_policyFactory();
    const auto profile = AutoscaleSimulator::ramp(0, 1.0, m_peak->value(), 10 * 60000, 30 * 60000,
                                                  70 * 60000, 15000);
    showSimulation(AutoscaleSimulator::run(*policy, profile));
    m_note->setText(tr("ramp from 1 to %1 replicas' worth").arg(m_peak->value()));
}

} // namespace querydeck
