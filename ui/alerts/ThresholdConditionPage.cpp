#include "ui/alerts/ThresholdConditionPage.h"

#include "backend/metrics/Expression.h"
#include "ui/alerts/ThresholdChart.h"
#include "ui/alerts/ThresholdWizard.h"
#include "ui/common/AlertColors.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>

namespace querydeck {

namespace {

const AlertComparator kComparators[] = {AlertComparator::Greater, AlertComparator::GreaterOrEqual,
                                        AlertComparator::Less, AlertComparator::LessOrEqual};

// Enough digits for the axis the value was dragged on, no more: 45.3127 -> 45.3.
QString dragText(double value, double span)
{
    const int magnitude = span > 0 ? int(std::floor(std::log10(span))) : 0;
    const int decimals = std::clamp(2 - magnitude, 0, 6);
    return QString::number(value, 'f', decimals);
}

QWidget* withMessage(QWidget* field, QLabel* message)
{
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(field);
    layout->addWidget(message);
    return box;
}

} // namespace

ThresholdConditionPage::ThresholdConditionPage(ThresholdWizard* wizard)
    : ThresholdPageBase(wizard)
{
    setTitle(tr("Condition"));
    setSubTitle(tr("The rule fires when the expression compares true against the threshold. "
                   "Drag the dashed line or type a value."));

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("ruleName"));
    m_expression = new QLineEdit(this);
    m_expression->setObjectName(QStringLiteral("expression"));
    m_expression->setPlaceholderText(QStringLiteral("e.g. querydeck_queue_depth"));
    m_comparator = new QComboBox(this);
    m_comparator->setObjectName(QStringLiteral("comparator"));
    for (AlertComparator c : kComparators)
        m_comparator->addItem(comparatorSymbol(c), int(c));
    m_threshold = new QLineEdit(this);
    m_threshold->setObjectName(QStringLiteral("threshold"));
    m_threshold->setPlaceholderText(tr("a number, e.g. 0.5"));
    m_threshold->setAccessibleName(tr("Threshold"));
    registerField(QStringLiteral("ruleName*"), m_name);
    registerField(QStringLiteral("expression*"), m_expression);
    registerField(QStringLiteral("threshold*"), m_threshold);

    m_nameMessage = makeMessage(QStringLiteral("name"));
    m_expressionMessage = makeMessage(QStringLiteral("expression"));
    m_thresholdMessage = makeMessage(QStringLiteral("threshold"));

    m_chart = new ThresholdChart(this);
    m_chartNote = new QLabel(this);
    m_chartNote->setObjectName(QStringLiteral("chartNote"));

    auto* condition = new QHBoxLayout;
    condition->addWidget(m_comparator);
    condition->addWidget(withMessage(m_threshold, m_thresholdMessage), 1);

    auto* form = new QFormLayout;
    form->addRow(tr("&Name"), withMessage(m_name, m_nameMessage));
    form->addRow(tr("E&xpression"), withMessage(m_expression, m_expressionMessage));
    auto* thresholdLabel = new QLabel(tr("&Threshold"), this);
    thresholdLabel->setBuddy(m_threshold);
    form->addRow(thresholdLabel, condition);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_chart, 1);
    layout->addWidget(m_chartNote);

    m_refresh = new QTimer(this);
    m_refresh->setInterval(kRefreshMs);
    connect(m_refresh, &QTimer::timeout, this, &ThresholdConditionPage::refreshChart);
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300);
    connect(m_debounce, &QTimer::timeout, this, &ThresholdConditionPage::refreshChart);
    connect(m_expression, &QLineEdit::textEdited, m_debounce, qOverload<>(&QTimer::start));
    connect(m_threshold, &QLineEdit::textEdited, this, &ThresholdConditionPage::thresholdTyped);
    // An error stays until the field is edited again, never after it is fixed.
    connect(m_name, &QLineEdit::textEdited, this, [this] { clearMessage(m_nameMessage, m_name); });
    connect(m_expression, &QLineEdit::textEdited, this,
            [this] { clearMessage(m_expressionMessage, m_expression); });
    connect(m_comparator, &QComboBox::currentIndexChanged, this,
            &ThresholdConditionPage::updateWarning);
    connect(m_chart, &ThresholdChart::thresholdDragged, this,
            &ThresholdConditionPage::thresholdDragged);
}

void ThresholdConditionPage::initializePage()
{
    const AlertRule& rule = request().rule;
    m_name->setText(rule.name);
    m_expression->setText(rule.expression);
    m_comparator->setCurrentIndex(m_comparator->findData(int(rule.comparator)));
    m_threshold->setText(QString::number(rule.threshold, 'g', 12));
    for (QLabel* label : {m_nameMessage, m_expressionMessage, m_thresholdMessage})
        clearMessage(label, nullptr);
    for (QWidget* field : {static_cast<QWidget*>(m_name), static_cast<QWidget*>(m_expression),
                           static_cast<QWidget*>(m_threshold)})
        field->setStyleSheet({});
    m_chart->setThresholdColor(severityColor(rule.severity));
    m_chart->setThreshold(rule.threshold);
    refreshChart();
}

void ThresholdConditionPage::cleanupPage()
{
    m_refresh->stop();
}

bool ThresholdConditionPage::isRefreshing() const
{
    return m_refresh->isActive();
}

void ThresholdConditionPage::showEvent(QShowEvent* event)
{
    ThresholdPageBase::showEvent(event);
    refreshChart();
    m_refresh->start();
}

void ThresholdConditionPage::hideEvent(QHideEvent* event)
{
    ThresholdPageBase::hideEvent(event);
    m_refresh->stop();
}

void ThresholdConditionPage::refreshChart()
{
    const QString text = m_expression->text().trimmed();
    const Expression parsed = Expression::parse(text);
    const qint64 to = controller()->now();
    if (text.isEmpty() || !parsed.isValid()) {
        m_chart->setSeries({}, to - kChartSpanMs, to);
        m_chartNote->setText(text.isEmpty()
                                 ? tr("Type an expression to see its last hour.")
                                 : tr("The expression does not parse: %1").arg(parsed.error()));
        return;
    }
    m_chart->setSeries(controller()->history(text, kChartSpanMs), to - kChartSpanMs, to);
    m_chartNote->setText(m_chart->hasData()
                             ? tr("Last hour of %1").arg(text)
                             : tr("No stored data for %1 in the last hour.").arg(text));
}

void ThresholdConditionPage::thresholdTyped()
{
    if (const auto v = ThresholdWizardController::parseNumber(m_threshold->text())) {
        clearMessage(m_thresholdMessage, m_threshold);
        m_chart->setThreshold(*v);
        updateWarning();
    } else if (!m_threshold->text().trimmed().isEmpty()) {
        showError(m_thresholdMessage, m_threshold,
                  tr("\"%1\" is not a number.").arg(m_threshold->text()));
    }
}

void ThresholdConditionPage::thresholdDragged(double value)
{
    m_threshold->setText(dragText(value, m_chart->valueSpan()));
    clearMessage(m_thresholdMessage, m_threshold);
    updateWarning();
}

void ThresholdConditionPage::updateWarning()
{
    const auto v = ThresholdWizardController::parseNumber(m_threshold->text());
    if (!v)
        return;
    AlertRule rule = request().rule;
    rule.expression = m_expression->text().trimmed();
    rule.comparator = AlertComparator(m_comparator->currentData().toInt());
    rule.threshold = *v;
    showWarning(m_thresholdMessage, controller()->thresholdWarning(rule));
}

bool ThresholdConditionPage::validatePage()
{
    AlertRule& rule = request().rule;
    rule.name = m_name->text().trimmed();
    rule.expression = m_expression->text().trimmed();
    rule.comparator = AlertComparator(m_comparator->currentData().toInt());
    const auto value = ThresholdWizardController::parseNumber(m_threshold->text());
    if (value)
        rule.threshold = *value;

    const QMap<QString, QString> problems = controller()->validate(request());
    bool ok = true;
    auto check = [&](const QString& field, QLabel* label, QWidget* widget) {
        if (problems.contains(field)) {
            showError(label, widget, problems.value(field));
            ok = false;
        } else if (label->property("level").toString() == u"error") {
            clearMessage(label, widget);
        }
    };
    check(QStringLiteral("name"), m_nameMessage, m_name);
    check(QStringLiteral("expression"), m_expressionMessage, m_expression);
    if (!value) {
        showError(m_thresholdMessage, m_threshold,
                  tr("\"%1\" is not a number.").arg(m_threshold->text()));
        ok = false;
    } else {
        check(QStringLiteral("threshold"), m_thresholdMessage, m_threshold);
        if (ok)
            updateWarning();
    }
    return ok;
}

int ThresholdConditionPage::nextId() const
{
    return int(ThresholdWizard::Page::Durations);
}

} // namespace querydeck
