#include "ui/fleet/ScaleTargetPage.h"

#include "backend/scaling/ScaleOperatorMirror.h"
#include "ui/fleet/CapacityText.h"
#include "ui/fleet/ScaleWizard.h"

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
#include <QVBoxLayout>

namespace querydeck {

namespace {

// Prices are in dollars like the plans', whatever the locale's currency.
QString money(double amount)
{
    return QStringLiteral("$") + QLocale().toString(amount, 'f', 0);
}

} // namespace

ScaleTargetPage::ScaleTargetPage(ScaleWizard* wizard)
    : ScalePageBase(wizard)
{
    setTitle(tr("Target"));
    setSubTitle(tr("A replica count, or a capacity tier. Capacity is projected from the point "
                   "where one replica saturates, measured from what its queries cost."));
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

    m_table = new QTableWidget(0, 5, this);
    m_table->setObjectName("capacityTable");
    m_table->setHorizontalHeaderLabels(
        {tr("Tier"), tr("Replicas"), tr("Queries/day"), tr("Cost/month"), tr("Planned capacity")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_method = new QLabel(this);
    m_method->setObjectName("capacityMethod");
    m_method->setWordWrap(true);
    m_load = new QLabel(this);
    m_load->setObjectName("loadNow");
    m_load->setWordWrap(true);
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
    layout->addWidget(m_method);
    layout->addWidget(m_load);
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

void ScaleTargetPage::initializePage()
{
    m_state = scaleOperator()->currentState();
    const ScaleRequest& request = this->request();
    m_capacity =
        FleetAdvisor::capacity(m_state, {request.cpuPerReplica, request.handlerThreadsPerReplica,
                                         request.generationSlotsPerReplica});
    m_price->setValue(request.pricePerInstanceMonth);
    m_count->setValue(std::max(1, request.targetReplicas > 0 ? request.targetReplicas
                                                             : request.currentReplicas + 1));
    m_byCount->setChecked(true);
    updateTable();
}

int ScaleTargetPage::target() const
{
    return m_byCount->isChecked() ? m_count->value() : m_tier->currentData().toInt();
}

void ScaleTargetPage::updateTable()
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
            FleetAdvisor::project(m_capacity, rows[i].replicas, m_price->value());
        const QStringList cells{
            rows[i].name, QString::number(rows[i].replicas),
            p.queriesPerDay ? CapacityText::perDay(*p.queriesPerDay) : tr("not measured"),
            money(p.costPerMonth),
            m_capacity.plannedQps
                ? CapacityText::queriesPerSecond(*m_capacity.plannedQps * rows[i].replicas)
                : tr("not measured")};
        for (int c = 0; c < int(cells.size()); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            QFont font = item->font();
            font.setBold(rows[i].replicas == chosen && i > 0);
            item->setFont(font);
            m_table->setItem(i, c, item);
        }
    }
    m_method->setText(CapacityText::method(m_capacity, m_state.queriesMeasured.value_or(0)));
    m_load->setText(CapacityText::load(m_capacity));
    m_note->setText(chosen == m_state.replicas ? tr("The target equals the current count.")
                                               : QString());
    m_note->setVisible(!m_note->text().isEmpty());
}

bool ScaleTargetPage::isComplete() const
{
    return target() >= 1 && target() != m_state.replicas;
}

bool ScaleTargetPage::validatePage()
{
    ScaleRequest& request = this->request();
    request.targetReplicas = target();
    request.tier =
        m_byTier->isChecked() ? FleetAdvisor::tiers().at(m_tier->currentIndex()).name : QString();
    request.pricePerInstanceMonth = m_price->value();
    return true;
}

int ScaleTargetPage::nextId() const
{
    return int(ScaleWizard::Page::Preflight);
}

} // namespace querydeck
