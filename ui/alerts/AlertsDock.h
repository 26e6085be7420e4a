#pragma once

#include "backend/alerting/AlertInstance.h"

#include <QDockWidget>
#include <functional>

class QComboBox;
class QLineEdit;
class QPushButton;
class QTableView;
class QTabWidget;
class QTimer;

namespace querydeck {

class AlertFilterModel;
class AlertHistoryModel;
class AlertListModel;
class AlertTimeline;

// The Alerts dock: alert instances (severity-coloured, firing first) with a
// text filter and severity/state filters, state, value and "since" as
// relative time; Silence… (a dialog pre-filled from the selection) and
// Acknowledge emit requests for the AlertEngine; a History tab shows the
// timeline of the last hours over the transition table. Fed through
// setAlerts()/addHistoryEntry() with the engine's own types. GUI thread only.
class AlertsDock : public QDockWidget
{
    Q_OBJECT

public:
    // Shows the silence dialog; returns false when cancelled. Tests replace it.
    using SilencePrompt =
        std::function<bool(const QMap<QString, QString>& prefill, QMap<QString, QString>* matchers,
                           qint64* durationMs, QString* comment)>;

    explicit AlertsDock(QWidget* parent = nullptr);
    ~AlertsDock() override;

    AlertListModel* alertModel() const { return m_alerts; }
    AlertFilterModel* filterModel() const { return m_filter; }
    AlertHistoryModel* historyModel() const { return m_history; }
    QTableView* alertView() const { return m_view; }
    QTableView* historyView() const { return m_historyView; }
    AlertTimeline* timeline() const { return m_timeline; }
    QLineEdit* filterEdit() const { return m_filterEdit; }
    QComboBox* severityFilter() const { return m_severity; }
    QComboBox* stateFilter() const { return m_state; }
    QPushButton* silenceButton() const { return m_silence; }
    QPushButton* acknowledgeButton() const { return m_ack; }
    QTabWidget* tabs() const { return m_tabs; }
    void setSilencePrompt(SilencePrompt prompt);
    void setClock(std::function<qint64()> clock);
    // The alert selected in the list, if any.
    std::optional<AlertInstance> selectedAlert() const;

public slots:
    void setAlerts(const QList<querydeck::AlertInstance>& alerts);
    void addHistoryEntry(const querydeck::AlertHistoryEntry& entry);
    void setHistory(const QList<querydeck::AlertHistoryEntry>& newestFirst);
    void silenceSelected();
    void acknowledgeSelected();

signals:
    // matchers: alertname plus label equality, as in Alertmanager.
    void silenceRequested(const QMap<QString, QString>& matchers, qint64 durationMs,
                          const QString& comment);
    void acknowledgeRequested(const QString& key);

private:
    void updateActions();
    void updateTitle();

    AlertListModel* m_alerts = nullptr;
    AlertFilterModel* m_filter = nullptr;
    AlertHistoryModel* m_history = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTableView* m_view = nullptr;
    QTableView* m_historyView = nullptr;
    AlertTimeline* m_timeline = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    QComboBox* m_severity = nullptr;
    QComboBox* m_state = nullptr;
    QPushButton* m_silence = nullptr;
    QPushButton* m_ack = nullptr;
    QTimer* m_tick = nullptr;
    SilencePrompt m_prompt;
};

} // namespace querydeck
