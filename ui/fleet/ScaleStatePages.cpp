#include "backend/scaling/ScaleOperatorMirror.h"
#include "ui/fleet/ScaleWizard.h"
#include "ui/fleet/ScaleWizardPages.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QRadioButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace querydeck {

namespace {

QString orDash(const std::optional<double>& value, int precision, const QString& unit)
{
    return value ? QLocale().toString(*value, 'f', precision) + unit : QObject::tr("no data");
}

// Prices are in dollars like the plans', whatever the locale's currency.
QString money(double amount)
{
    return QStringLiteral("$") + QLocale().toString(amount, 'f', 0);
}

QLabel* valueLabel(const char* name, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(name));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

CurrentStatePage::CurrentStatePage(ScaleWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Current state"));
    setSubTitle(tr("What the fleet does now, and what the live metrics say the bottleneck is."));
    auto* form = new QFormLayout;
    form->addRow(tr("Replicas:"), m_replicas = valueLabel("replicasValue", this));
    form->addRow(tr("Throughput per replica:"), m_throughput = valueLabel("throughputValue", this));
    form->addRow(tr("Utilisation (CPU):"), m_utilisation = valueLabel("utilisationValue", this));
    form->addRow(tr("Average latency:"), m_latency = valueLabel("latencyValue", this));
    form->addRow(tr("Cache hit rate:"), m_cacheHit = valueLabel("cacheHitValue", this));

    m_findings = new QTreeWidget(this);
    m_findings->setObjectName("findings");
    m_findings->setHeaderLabels({tr("Symptom"), tr("Bottleneck"), tr("What helps")});
    m_findings->setRootIsDecorated(false);
    m_findings->setFocusPolicy(Qt::NoFocus);
    m_findings->setSelectionMode(QAbstractItemView::NoSelection);
    m_findings->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_findings->header()->setStretchLastSection(true);
    m_verdict = valueLabel("verdict", this);
    m_verdict->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Decision matrix applied to the live metrics:"), this));
    layout->addWidget(m_findings, 1);
    layout->addWidget(m_verdict);
}

void CurrentStatePage::initializePage()
{
    const FleetState state = m_wizard->scaleOperator()->currentState();
    m_wizard->request().currentReplicas = state.replicas;
    m_replicas->setText(QString::number(state.replicas));
    m_throughput->setText(orDash(state.perReplicaQps(), 2, tr(" queries/s")));
    m_utilisation->setText(orDash(state.cpuPercent, 0, "%"));
    m_latency->setText(orDash(state.latencySeconds, 2, " s"));
    m_cacheHit->setText(orDash(state.cacheHitPercent, 0, "%"));

    m_findings->clear();
    const QList<Finding> findings = FleetAdvisor::diagnose(state);
    bool replicasHelp = false;
    for (const Finding& f : findings) {
        auto* item = new QTreeWidgetItem(m_findings, {f.symptom, f.bottleneck, f.action});
        item->setIcon(0, style()->standardIcon(f.replicasHelp ? QStyle::SP_ArrowUp
                                                              : QStyle::SP_MessageBoxWarning));
        replicasHelp = replicasHelp || f.replicasHelp;
    }
    if (findings.isEmpty())
        new QTreeWidgetItem(m_findings, {tr("no threshold crossed"), tr("none found"),
                                         tr("scale for expected growth, not for a bottleneck")});
    if (findings.isEmpty())
        m_verdict->setText(tr("No bottleneck in the live metrics."));
    else if (replicasHelp)
        m_verdict->setText(tr("More replicas address the API compute bottleneck."));
    else
        m_verdict->setText(tr("More replicas will not fix what the metrics show; see "
                              "\"What helps\" before scaling."));
}

TargetPage::TargetPage(ScaleWizard* wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Target"));
    setSubTitle(tr("A replica count, or a capacity tier. Capacity is projected from the measured "
                   "throughput per replica."));
    m_byCount = new QRadioButton(tr("Replica &count:"), this);
    m_byCount->setObjectName("byCount");
    m_byTier = new QRadioButton(tr("Capacity &tier:"), this);
    m_byTier->setObjectName("byTier");
    auto* group = new QButtonGroup(this);
    group->addButton(m_byCount);
    group->addButton(m_byTier);
    m_count = new QSpinBox(this);
    m_count->setObjectName("count");
    m_count->setRange(1, 1000);
    m_tier = new QComboBox(this);
    m_tier->setObjectName("tier");
    for (const CapacityTier& tier : FleetAdvisor::tiers())
        m_tier->addItem(tier.replicas == 1
                            ? tr("%1 (1 replica)").arg(tier.name)
                            : tr("%1 (%2 replicas)").arg(tier.name).arg(tier.replicas),
                        tier.replicas);
    m_price = new QDoubleSpinBox(this);
    m_price->setObjectName("price");
    m_price->setRange(0, ScaleRequest::kMaxPricePerInstanceMonth);
    m_price->setDecimals(2); // a configured price is shown as written, not rounded
    m_price->setPrefix("$");
    m_price->setSuffix(tr(" / instance / month"));

    m_table = new QTableWidget(0, 4, this);
    m_table->setObjectName("capacityTable");
    m_table->setHorizontalHeaderLabels(
        {tr("Tier"), tr("Replicas"), tr("Queries/day"), tr("Cost/month")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_note = new QLabel(this);
    m_note->setObjectName("capacityNote");
    m_note->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(m_byCount, m_count);
    form->addRow(m_byTier, m_tier);
    form->addRow(tr("Price:"), m_price);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_note);

    const auto changed = [this] {
        m_count->setEnabled(m_byCount->isChecked());
        m_tier->setEnabled(m_byTier->isChecked());
        updateTable();
        emit completeChanged();
    };
    connect(m_byCount, &QRadioButton::toggled, this, changed);
    connect(m_count, &QSpinBox::valueChanged, this, changed);
    connect(m_tier, &QComboBox::currentIndexChanged, this, changed);
    connect(m_price, &QDoubleSpinBox::valueChanged, this, changed);
}

void TargetPage::initializePage()
{
    m_state = m_wizard->scaleOperator()->currentState();
    const ScaleRequest& request = m_wizard->request();
    m_price->setValue(request.pricePerInstanceMonth);
    m_count->setValue(std::max(1, request.targetReplicas > 0 ? request.targetReplicas
                                                             : request.currentReplicas + 1));
    m_byCount->setChecked(true);
    updateTable();
}

int TargetPage::target() const
{
    return m_byCount->isChecked() ? m_count->value() : m_tier->currentData().toInt();
}

void TargetPage::updateTable()
{
    struct Row
    {
        QString name;
        int replicas;
    };
    QList<Row> rows{{tr("Current"), m_state.replicas}};
    for (const CapacityTier& tier : FleetAdvisor::tiers())
        rows.append({tier.name, tier.replicas});
    if (m_byCount->isChecked())
        rows.append({tr("Chosen"), m_count->value()});
    m_table->setRowCount(int(rows.size()));
    const int chosen = target();
    for (int i = 0; i < rows.size(); ++i) {
        const CapacityProjection p =
            FleetAdvisor::project(m_state, rows[i].replicas, m_price->value());
        const QStringList cells{rows[i].name, QString::number(rows[i].replicas),
                                p.queriesPerDay ? QLocale().toString(*p.queriesPerDay, 'f', 0)
                                                : tr("unknown"),
                                money(p.costPerMonth)};
        for (int c = 0; c < 4; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            QFont font = item->font();
            font.setBold(rows[i].replicas == chosen && i > 0);
            item->setFont(font);
            m_table->setItem(i, c, item);
        }
    }
    if (const auto perReplica = m_state.perReplicaQps())
        m_note->setText(tr("Projected from %1 queries/s per replica measured now, planned at 70% "
                           "utilisation.")
                            .arg(QLocale().toString(*perReplica, 'f', 2)));
    else
        m_note->setText(tr("No throughput measured yet: capacity is unknown until the fleet has "
                           "traffic. Cost does not depend on it."));
    if (chosen == m_state.replicas)
        m_note->setText(m_note->text() + "\n" + tr("The target equals the current count."));
}

bool TargetPage::isComplete() const
{
    return target() >= 1 && target() != m_state.replicas;
}

bool TargetPage::validatePage()
{
    ScaleRequest& request = m_wizard->request();
    request.targetReplicas = target();
    request.tier =
        m_byTier->isChecked() ? FleetAdvisor::tiers().at(m_tier->currentIndex()).name : QString();
    request.pricePerInstanceMonth = m_price->value();
    return true;
}

} // namespace querydeck
