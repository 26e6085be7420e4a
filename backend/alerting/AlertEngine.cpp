#include "backend/alerting/AlertEngine.h"

#include "backend/alerting/AlertRuleJson.h"
#include "backend/metrics/Expression.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QFileInfo>
#include <QSet>
#include <QTimer>
#include <cmath>
#include <map>
#include <spdlog/spdlog.h>
#include <utility>

namespace querydeck {

struct AlertEngine::Instance
{
    explicit Instance(const AlertRule& rule)
        : machine(rule)
    {
    }
    QMap<QString, QString> labels;
    AlertStateMachine machine;
    QString acknowledgedBy;
    qint64 acknowledgedAtMs = 0;
};

struct AlertEngine::RuleState
{
    AlertRule rule;
    Expression expression;
    qint64 nextDueMs = 0;
    std::map<QString, std::unique_ptr<Instance>> instances; // by AlertInstance::key()
};

namespace {

QMap<QString, QString> labelMap(const SeriesKey& key)
{
    QMap<QString, QString> out;
    for (const auto& [name, value] : key.labels)
        out.insert(name, value);
    return out;
}

QString keyOf(const QString& ruleName, const QMap<QString, QString>& labels)
{
    AlertInstance identity;
    identity.ruleName = ruleName;
    identity.labels = labels;
    return identity.key();
}

// When the instance of `resolved` began firing: its latest transition into
// Firing from a non-firing state, or `fallback` when the history lost it.
qint64 firingSince(const AlertHistory& history, const AlertHistoryEntry& resolved, qint64 fallback)
{
    const auto& entries = history.entries();
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (it->ruleName == resolved.ruleName && it->labels == resolved.labels &&
            it->transition.startsFiring())
            return it->transition.t;
    }
    return fallback;
}

} // namespace

AlertEngine::AlertEngine(const TimeSeriesStore* store, Clock clock, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_clock(std::move(clock))
    , m_history(QString())
{
    qRegisterMetaType<AlertInstance>();
    qRegisterMetaType<QList<AlertInstance>>();
    qRegisterMetaType<AlertHistoryEntry>();
    qRegisterMetaType<AlertNotification>();
    qRegisterMetaType<QList<AlertNotification>>();
    qRegisterMetaType<AlertSilence>();
    qRegisterMetaType<QList<AlertSilence>>();
}

AlertEngine::~AlertEngine() = default;

void AlertEngine::setHistoryFile(const QString& path, AlertHistory::Options options)
{
    m_history = AlertHistory(path, options);
}

void AlertEngine::setSilencesFile(const QString& path)
{
    m_silenceBook.setFile(path);
}

void AlertEngine::setAcknowledgementsFile(const QString& path)
{
    m_acksPath = path;
}

void AlertEngine::setRulesFile(const QString& path)
{
    m_rulesPath = path;
}

void AlertEngine::start()
{
    if (!m_started) {
        m_started = true;
        m_history.load();
        for (const auto& [key, restored] : m_history.lastStates().asKeyValueRange()) {
            if (restored.status.state != AlertState::Normal)
                m_restored.insert(key, restored);
        }
        loadAcknowledgements();
        const qint64 firstDue = m_clock() + m_firstDelayMs;
        for (auto& rule : m_rules) {
            restoreInto(*rule);
            rule->nextDueMs = std::max(rule->nextDueMs, firstDue);
        }
        m_silenceBook.load();
        spdlog::info("[alerts] engine started: {} rules, {} history entries, {} silences",
                     m_rules.size(), m_history.entries().size(), m_silenceBook.size());
        // Drops acknowledgements of alerts that resolved while the console was off.
        if (!m_acksPath.isEmpty() && QFileInfo::exists(m_acksPath))
            saveAcknowledgements();
    }
    if (m_tickMs > 0) {
        if (!m_timer) {
            m_timer = new QTimer(this);
            connect(m_timer, &QTimer::timeout, this, &AlertEngine::evaluateDue);
        }
        m_timer->start(m_tickMs);
    }
    publish();
}

void AlertEngine::stop()
{
    if (m_timer)
        m_timer->stop();
}

void AlertEngine::restoreInto(RuleState& rule)
{
    for (auto it = m_restored.begin(); it != m_restored.end();) {
        if (it->ruleName != rule.rule.name) {
            ++it;
            continue;
        }
        auto instance = std::make_unique<Instance>(rule.rule);
        instance->labels = it->labels;
        instance->machine.restore(it->status);
        if (const auto ack = m_restoredAcks.constFind(it.key()); ack != m_restoredAcks.cend()) {
            instance->acknowledgedBy = ack->by;
            instance->acknowledgedAtMs = ack->atMs;
            m_restoredAcks.erase(ack);
        }
        rule.instances[it.key()] = std::move(instance);
        it = m_restored.erase(it);
    }
}

QStringList AlertEngine::setRules(const std::vector<AlertRule>& rules, const QString& note)
{
    QStringList errors;
    QSet<QString> names;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        for (const QString& error : rules[i].validate())
            errors << QStringLiteral("rules[%1] (%2).%3").arg(i).arg(rules[i].name, error);
        if (names.contains(rules[i].name))
            errors
                << QStringLiteral("rules[%1].name: \"%2\" is used twice").arg(i).arg(rules[i].name);
        names.insert(rules[i].name);
    }
    if (!errors.isEmpty())
        return errors;

    const qint64 now = m_clock();
    std::map<QString, std::unique_ptr<RuleState>> old;
    for (auto& state : m_rules)
        old[state->rule.name] = std::move(state);
    m_rules.clear();
    for (const AlertRule& rule : rules) {
        auto it = old.find(rule.name);
        std::unique_ptr<RuleState> state;
        if (it != old.end()) {
            state = std::move(it->second);
            old.erase(it);
            const bool same =
                AlertRuleJson::serialize({state->rule}) == AlertRuleJson::serialize({rule});
            if (!same && (state->rule.expression != rule.expression || !rule.enabled)) {
                resolveAll(*state, now, QStringLiteral("rule changed"));
                state->instances.clear();
                state->nextDueMs = 0;
            } else if (!same) {
                for (auto& [key, instance] : state->instances)
                    instance->machine.setRule(rule);
                state->nextDueMs = std::min(state->nextDueMs, now + rule.intervalMs);
            }
            if (!same && !note.isEmpty()) {
                AlertHistoryEntry entry;
                entry.ruleName = rule.name;
                entry.severity = rule.severity;
                entry.transition.t = now;
                entry.note = note;
                m_history.append(entry);
                emit transition(entry);
            }
        } else {
            state = std::make_unique<RuleState>();
        }
        state->rule = rule;
        state->expression = Expression::parse(rule.expression);
        if (m_started)
            restoreInto(*state);
        m_rules.push_back(std::move(state));
    }
    for (auto& [name, state] : old)
        resolveAll(*state, now, QStringLiteral("rule removed"));
    if (!m_rulesPath.isEmpty()) {
        QString error;
        if (!AlertRuleJson::saveFile(m_rulesPath, rules, &error))
            spdlog::error("[alerts] {}", error.toStdString());
    }
    emit rulesChanged();
    publish();
    return {};
}

void AlertEngine::resolveAll(RuleState& rule, qint64 now, const QString& note)
{
    for (auto& [key, instance] : rule.instances) {
        const AlertStatus& status = instance->machine.status();
        if (status.state == AlertState::Normal)
            continue;
        AlertTransition t;
        t.from = status.state;
        t.to = AlertState::Normal;
        t.t = now;
        t.value = status.value;
        handle(rule, *instance, t, note);
    }
}

std::vector<AlertRule> AlertEngine::rules() const
{
    std::vector<AlertRule> out;
    for (const auto& state : m_rules)
        out.push_back(state->rule);
    return out;
}

void AlertEngine::evaluateDue()
{
    const qint64 now = m_clock();
    bool any = false;
    for (auto& rule : m_rules) {
        if (rule->rule.enabled && now >= rule->nextDueMs) {
            evaluateRule(*rule, now);
            any = true;
        }
    }
    if (pruneSilences(now) || any)
        publish();
}

void AlertEngine::evaluateAll()
{
    const qint64 now = m_clock();
    for (auto& rule : m_rules) {
        if (rule->rule.enabled)
            evaluateRule(*rule, now);
    }
    pruneSilences(now);
    publish();
}

void AlertEngine::evaluateRule(RuleState& rule, qint64 now)
{
    rule.nextDueMs = now + rule.rule.intervalMs;
    QString error;
    std::vector<std::pair<SeriesKey, double>> results;
    if (!rule.expression.isValid())
        error = rule.expression.error();
    else if (m_store)
        results = rule.expression.instant(*m_store, now);

    QSet<QString> seen;    // returned by the expression this time
    QSet<QString> stepped; // stepped this time
    auto stepInstance = [&](const QString& key, const QMap<QString, QString>& labels,
                            std::optional<double> value, const QString& why) {
        stepped.insert(key);
        auto& slot = rule.instances[key];
        if (!slot) {
            slot = std::make_unique<Instance>(rule.rule);
            slot->labels = labels;
        }
        if (auto t = slot->machine.step(now, value, why))
            handle(rule, *slot, *t);
    };
    if (!error.isEmpty()) {
        // An expression that cannot run puts the rule's one instance in Error.
        seen.insert(keyOf(rule.rule.name, {}));
        stepInstance(keyOf(rule.rule.name, {}), {}, std::nullopt, error);
    }
    for (const auto& [series, value] : results) {
        const QMap<QString, QString> labels = labelMap(series);
        const QString key = keyOf(rule.rule.name, labels);
        seen.insert(key);
        stepInstance(key, labels, value, {});
    }
    // A series that vanished is no data for its instance; with none at all,
    // the rule's label-less instance sees no data (so "nothing is up" alerts).
    if (seen.isEmpty() && rule.instances.empty())
        stepInstance(keyOf(rule.rule.name, {}), {}, std::nullopt, {});
    for (auto& [key, instance] : rule.instances) {
        if (stepped.contains(key))
            continue;
        if (auto t = instance->machine.step(now, std::nullopt))
            handle(rule, *instance, *t);
    }
    // Instances back at Normal whose series is gone are forgotten.
    std::erase_if(rule.instances, [&](const auto& item) {
        return !seen.contains(item.first) &&
               item.second->machine.status().state == AlertState::Normal;
    });
}

void AlertEngine::handle(RuleState& rule, Instance& instance, const AlertTransition& t,
                         const QString& note)
{
    AlertHistoryEntry entry;
    entry.ruleName = rule.rule.name;
    entry.labels = instance.labels;
    entry.severity = rule.rule.severity;
    entry.transition = t;
    entry.note = note;
    m_history.append(entry);
    emit transition(entry);
    spdlog::info("[alerts] {} {} -> {}{}", keyOf(rule.rule.name, instance.labels).toStdString(),
                 alertStateName(t.from).toStdString(), alertStateName(t.to).toStdString(),
                 t.value ? fmt::format(" (value {})", *t.value) : std::string());

    const bool resolves = t.resolves();
    if ((resolves || t.to == AlertState::Normal) && !instance.acknowledgedBy.isEmpty()) {
        instance.acknowledgedBy.clear();
        saveAcknowledgements();
    }
    if (!t.startsFiring() && !resolves)
        return;
    const QMap<QString, QString> labels = AlertNotification::labelsFor(rule.rule, instance.labels);
    if (const AlertSilence* silence = m_silenceBook.matching(labels, t.t)) {
        spdlog::info("[alerts] {} silenced by {}: not notified",
                     keyOf(rule.rule.name, instance.labels).toStdString(),
                     silence->id.toStdString());
        return;
    }
    // On resolution the machine has cleared firingSince; the history knows it.
    const qint64 since = resolves ? firingSince(m_history, entry, t.t) : t.t;
    const AlertNotification n =
        AlertNotification::forTransition(rule.rule, instance.labels, t, since);
    m_batch.append(n);
    emit notification(n);
}

QString AlertEngine::addSilence(AlertSilence silence, QString* error)
{
    const QString id = m_silenceBook.add(std::move(silence), error);
    if (id.isEmpty())
        return {};
    emit silencesChanged(silences());
    publish();
    return id;
}

bool AlertEngine::expireSilence(const QString& id)
{
    if (!m_silenceBook.expire(id, m_clock()))
        return false;
    emit silencesChanged(silences());
    publish();
    return true;
}

bool AlertEngine::pruneSilences(qint64 now)
{
    if (!m_silenceBook.prune(now))
        return false;
    emit silencesChanged(silences());
    return true;
}

void AlertEngine::loadAcknowledgements()
{
    if (m_acksPath.isEmpty())
        return;
    const AlertAcknowledgements::LoadResult loaded = AlertAcknowledgements::loadFile(m_acksPath);
    if (!loaded.errors.isEmpty()) {
        // What could not be read is kept for the operator, not overwritten.
        const QString copy = AlertAcknowledgements::keepAside(m_acksPath, m_clock());
        spdlog::error("[alerts] acknowledgements {}: {}; skipped those, the file is kept as {}",
                      m_acksPath.toStdString(),
                      loaded.errors.join(QStringLiteral("; ")).toStdString(),
                      copy.isEmpty() ? std::string("(copy failed)") : copy.toStdString());
    }
    for (const AlertAcknowledgement& ack : loaded.value)
        m_restoredAcks.insert(ack.alert, ack);
}

void AlertEngine::saveAcknowledgements()
{
    if (m_acksPath.isEmpty())
        return;
    std::vector<AlertAcknowledgement> acks;
    for (const auto& rule : m_rules) {
        for (const auto& [key, instance] : rule->instances) {
            if (!instance->acknowledgedBy.isEmpty())
                acks.push_back({key, instance->acknowledgedBy, instance->acknowledgedAtMs});
        }
    }
    // Unclaimed ones whose alert is still open in the history (a rule not
    // loaded this run) are kept; the rest resolved while the console was off.
    for (const AlertAcknowledgement& ack : std::as_const(m_restoredAcks)) {
        if (m_restored.contains(ack.alert))
            acks.push_back(ack);
    }
    QString error;
    if (!AlertAcknowledgements::saveFile(m_acksPath, acks, &error))
        spdlog::error("[alerts] {}", error.toStdString());
}

QList<AlertSilence> AlertEngine::silences() const
{
    return m_silenceBook.list();
}

bool AlertEngine::acknowledge(const QString& instanceKey, const QString& by)
{
    for (auto& rule : m_rules) {
        auto it = rule->instances.find(instanceKey);
        if (it == rule->instances.end())
            continue;
        const AlertState state = it->second->machine.status().state;
        if (state == AlertState::Normal || by.trimmed().isEmpty())
            return false;
        it->second->acknowledgedBy = by;
        it->second->acknowledgedAtMs = m_clock();
        saveAcknowledgements();
        publish();
        return true;
    }
    return false;
}

QList<AlertInstance> AlertEngine::instances() const
{
    const qint64 now = m_clock();
    QList<AlertInstance> out;
    for (const auto& rule : m_rules) {
        auto add = [&](const QMap<QString, QString>& labels, const AlertStatus& status,
                       const QString& ackBy) {
            AlertInstance a;
            a.ruleName = rule->rule.name;
            a.labels = labels;
            a.severity = rule->rule.severity;
            a.status = status;
            const double value = status.value.value_or(std::nan(""));
            a.summary = rule->rule.render(rule->rule.summary, value, labels);
            a.description = rule->rule.render(rule->rule.description, value, labels);
            if (const AlertSilence* s =
                    m_silenceBook.matching(AlertNotification::labelsFor(rule->rule, labels), now)) {
                a.silenced = true;
                a.silenceId = s->id;
            }
            a.acknowledged = !ackBy.isEmpty();
            a.acknowledgedBy = ackBy;
            out.append(a);
        };
        // A rule with no instance is shown as one Normal line, so every rule is listed.
        if (rule->instances.empty())
            add({}, AlertStatus{}, {});
        for (const auto& [key, instance] : rule->instances)
            add(instance->labels, instance->machine.status(), instance->acknowledgedBy);
    }
    return out;
}

void AlertEngine::publish()
{
    // Every evaluation and rule set change ends here.
    if (!m_batch.isEmpty())
        emit notifications(std::exchange(m_batch, {}));
    emit alertsChanged(instances());
}

} // namespace querydeck
