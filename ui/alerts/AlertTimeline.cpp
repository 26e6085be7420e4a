#include "ui/alerts/AlertTimeline.h"

#include "models/AlertHistoryModel.h"
#include "models/AlertListModel.h"
#include "ui/common/AlertColors.h"
#include "ui/common/Theme.h"

#include <QDateTime>
#include <QPainter>
#include <QSet>

namespace querydeck {

AlertTimeline::AlertTimeline(QWidget* parent)
    : QWidget(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    setObjectName(QStringLiteral("alertTimeline"));
    setMinimumHeight(60);
}

void AlertTimeline::setModel(AlertHistoryModel* model)
{
    m_model = model;
    // Every strip stays visible: the height follows the number of rules.
    auto refresh = [this] {
        setMinimumHeight(sizeHint().height());
        update();
    };
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, refresh);
    connect(model, &QAbstractItemModel::modelReset, this, refresh);
    refresh();
}

void AlertTimeline::setSpanMs(qint64 spanMs)
{
    m_spanMs = std::max<qint64>(60 * 1000, spanMs);
    update();
}

void AlertTimeline::setClock(std::function<qint64()> clock)
{
    m_clock = std::move(clock);
    update();
}

QStringList AlertTimeline::rules() const
{
    QStringList out;
    if (!m_model)
        return out;
    const qint64 from = m_clock() - m_spanMs;
    QSet<QString> seen;
    // Newest first in the model: rules that changed lately come first.
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const AlertHistoryEntry& e = m_model->entry(row);
        const bool relevant = e.transition.t >= from || e.transition.to != AlertState::Normal;
        if (relevant && !seen.contains(e.ruleName)) {
            seen.insert(e.ruleName);
            out << e.ruleName;
        }
    }
    return out;
}

QList<AlertTimeline::Segment> AlertTimeline::segments(const QString& ruleName) const
{
    QList<Segment> out;
    if (!m_model)
        return out;
    const qint64 now = m_clock();
    const qint64 from = now - m_spanMs;
    QHash<QString, AlertState> states; // instance key -> its state
    auto worst = [&states] {
        AlertState best = AlertState::Normal;
        for (AlertState s : std::as_const(states)) {
            if (AlertListModel::stateRank(s) < AlertListModel::stateRank(best))
                best = s;
        }
        return best;
    };
    Segment current{from, now, AlertState::Normal};
    bool started = false;
    for (const AlertHistoryEntry& e : m_model->entriesOf(ruleName)) {
        if (e.transition.from == e.transition.to && !e.note.isEmpty())
            continue; // an edit, not a state change
        AlertInstance key;
        key.ruleName = e.ruleName;
        key.labels = e.labels;
        if (!started && e.transition.t >= from) {
            // The first change in view: before it, the instance was in `from`.
            if (!states.contains(key.key()))
                states.insert(key.key(), e.transition.from);
            current.state = worst();
            started = true;
        }
        states.insert(key.key(), e.transition.to);
        const AlertState next = worst();
        if (e.transition.t <= from) {
            current.state = next;
            continue;
        }
        started = true;
        if (next != current.state) {
            current.to = std::min(e.transition.t, now);
            if (current.to > current.from)
                out << current;
            current = Segment{current.to, now, next};
        }
    }
    current.to = now;
    if (current.to > current.from)
        out << current;
    return out;
}

QSize AlertTimeline::sizeHint() const
{
    const int line = fontMetrics().height();
    return QSize(400, std::clamp(int(rules().size()), 2, 12) * (line + 6) + line + 14);
}

void AlertTimeline::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), Theme::color(Theme::Role::Panel));
    const QStringList names = rules();
    const int line = fontMetrics().height();
    const int rowHeight = line + 6;
    int labelWidth = 0;
    for (const QString& n : names)
        labelWidth = std::max(labelWidth, fontMetrics().horizontalAdvance(n));
    labelWidth = std::min(labelWidth + 12, width() / 3);
    const QRect plot(labelWidth, 4, std::max(1, width() - labelWidth - 8),
                     std::max(1, height() - line - 10));
    const qint64 now = m_clock();
    const qint64 from = now - m_spanMs;
    auto xOf = [&](qint64 t) {
        return plot.left() + double(t - from) / double(m_spanMs) * plot.width();
    };

    painter.setPen(Theme::color(Theme::Role::MutedText));
    if (names.isEmpty()) {
        painter.drawText(
            rect(), Qt::AlignCenter,
            tr("No alert changes in the last %1 h").arg(m_spanMs / 3600000.0, 0, 'g', 3));
        return;
    }
    // Hour grid and labels along the bottom.
    const qint64 hour = 3600 * 1000;
    const qint64 tick = m_spanMs > 12 * hour ? 3 * hour : hour;
    painter.setPen(Theme::color(Theme::Role::Grid));
    for (qint64 t = (from / tick + 1) * tick; t <= now; t += tick) {
        const double x = xOf(t);
        painter.setPen(Theme::color(Theme::Role::Grid));
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        painter.setPen(Theme::color(Theme::Role::MutedText));
        const QString text = QDateTime::fromMSecsSinceEpoch(t).toString(QStringLiteral("HH:mm"));
        painter.drawText(QRectF(x - 40, plot.bottom() + 2, 80, line), Qt::AlignHCenter, text);
    }
    for (int i = 0; i < names.size(); ++i) {
        const int y = plot.top() + i * rowHeight;
        if (y + rowHeight > plot.bottom() + 2)
            break;
        painter.setPen(Theme::color(Theme::Role::Text));
        painter.drawText(QRect(0, y, labelWidth - 6, rowHeight), Qt::AlignRight | Qt::AlignVCenter,
                         fontMetrics().elidedText(names[i], Qt::ElideRight, labelWidth - 6));
        const AlertHistoryEntry* latest = nullptr;
        for (int row = 0; row < m_model->rowCount() && !latest; ++row)
            if (m_model->entry(row).ruleName == names[i])
                latest = &m_model->entry(row);
        const AlertSeverity severity = latest ? latest->severity : AlertSeverity::Warning;
        for (const Segment& s : segments(names[i])) {
            const QRectF box(xOf(s.from), y + 3, std::max(1.0, xOf(s.to) - xOf(s.from)),
                             rowHeight - 6);
            QColor colour = stateColor(s.state, severity);
            if (s.state == AlertState::Normal)
                colour.setAlphaF(0.35); // calm: the eye goes to what fired
            painter.fillRect(box, colour);
        }
        // Edits (wizard saves) as a small marker over the strip.
        painter.setPen(QPen(Theme::color(Theme::Role::Text), 2));
        for (const AlertHistoryEntry& e : m_model->entriesOf(names[i])) {
            if (e.transition.from == e.transition.to && !e.note.isEmpty() && e.transition.t >= from)
                painter.drawLine(QPointF(xOf(e.transition.t), y + 1),
                                 QPointF(xOf(e.transition.t), y + rowHeight - 1));
        }
    }
}

} // namespace querydeck
