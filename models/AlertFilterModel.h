#pragma once

#include "backend/alerting/AlertRule.h"

#include <QSortFilterProxyModel>
#include <optional>

namespace querydeck {

// Filters an AlertListModel by text (rule, labels, summary; case-insensitive),
// severity and state, and sorts firing first: state rank, then severity,
// then the oldest first. GUI thread only.
class AlertFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit AlertFilterModel(QObject* parent = nullptr);

    void setText(const QString& text);
    void setSeverity(std::optional<AlertSeverity> severity); // none: all
    void setState(std::optional<AlertState> state);          // none: all
    // "Firing" also matches Recovering: the alert still fires.
    QString text() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    void refilter();

    QString m_text;
    std::optional<AlertSeverity> m_severity;
    std::optional<AlertState> m_state;
};

} // namespace querydeck
