#include "ui/fleet/ScaleStatePage.h"

#include "backend/dashboards/UnitFormat.h"
#include "backend/scaling/ScaleOperatorMirror.h"
#include "ui/fleet/ScaleWizard.h"

#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace querydeck {

namespace {

QString orDash(const std::optional<double>& value, int precision, const QString& unit)
{
    return value ? QLocale().toString(*value, 'f', precision) + unit : QObject::tr("no data");
}

QLabel* valueLabel(const char* name, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(name));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

ScaleStatePage::ScaleStatePage(ScaleWizard* wizard)
    : ScalePageBase(wizard)
{
    setTitle(tr("Current state"));
    setSubTitle(tr("What the fleet does now, and what the live metrics say the bottleneck is."));
    auto* form = new QFormLayout;
    form->addRow(tr("Replicas:"), m_replicas = valueLabel("replicasValue", this));
    form->addRow(tr("Load per replica, now:"), m_throughput = valueLabel("throughputValue", this));
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

void ScaleStatePage::initializePage()
{
    const FleetState state = scaleOperator()->currentState();
    request().currentReplicas = state.replicas;
    // "2", or "2 (1 ready, 1 failed)": a failed replica is not capacity.
    QString replicas = QString::number(state.replicas);
    if (state.failed > 0) {
        QStringList parts{tr("%1 ready").arg(std::max(0, state.ready))};
        if (state.working > state.ready && state.ready >= 0)
            parts << tr("%1 starting").arg(state.working - state.ready);
        parts << tr("%1 failed").arg(state.failed);
        replicas += QStringLiteral(" (%1)").arg(parts.join(QStringLiteral(", ")));
    }
    m_replicas->setText(replicas);
    m_throughput->setText(orDash(state.perReplicaQps(), 2, tr(" queries/s")));
    m_utilisation->setText(orDash(state.cpuPercent, 0, "%"));
    m_latency->setText(state.latencySeconds ? UnitFormat::format(*state.latencySeconds, "s", 1)
                                            : tr("no data"));
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

int ScaleStatePage::nextId() const
{
    return int(ScaleWizard::Page::Target);
}

} // namespace querydeck
