#pragma once

#include "backend/alerting/AlertInstance.h"

#include <QWidget>
#include <functional>

namespace querydeck {

class AlertHistoryModel;

// The alert history as a timeline: one strip per rule over the last hours,
// made of coloured state segments (normal green, pending orange, firing in
// the rule's severity colour, recovering lighter, no data grey, error
// purple); with several instances of a rule the worst state shows. A tick
// marks an edit (a history entry that is not a state change). Painted from
// an AlertHistoryModel; repaints when it changes. GUI thread only.
class AlertTimeline : public QWidget
{
    Q_OBJECT

public:
    struct Segment
    {
        qint64 from = 0;
        qint64 to = 0;
        AlertState state = AlertState::Normal;
    };

    explicit AlertTimeline(QWidget* parent = nullptr);

    void setModel(AlertHistoryModel* model);
    void setSpanMs(qint64 spanMs);
    qint64 spanMs() const { return m_spanMs; }
    void setClock(std::function<qint64()> clock);

    QStringList rules() const;
    // The strip of one rule over [now - span, now].
    QList<Segment> segments(const QString& ruleName) const;

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    AlertHistoryModel* m_model = nullptr;
    qint64 m_spanMs = 6 * 3600 * 1000LL;
    std::function<qint64()> m_clock;
};

} // namespace querydeck
