#pragma once

#include "backend/redisops/RedisTopologyMonitor.h"

#include <QDockWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace querydeck {

class RedisTopologyModel;

// The "Redis" dock: the topology the RedisTopologyMonitor refreshed (master
// with memory and clients, replicas with link state and lag, sentinels with
// their CKQUORUM verdict) in a table, a line saying when it was refreshed or
// why Redis could not be read (naming the address), a warning banner when
// the master differs from the recommended settings in packaging/, and
// buttons to refresh now and to open the failover wizard. Widgets only: the
// app connects the monitor (telemetry thread) to showStatus() and the
// buttons' signals back. GUI thread only.
class RedisTopologyDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit RedisTopologyDock(QWidget* parent = nullptr);

    RedisTopologyModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QLabel* statusLabel() const { return m_status; }
    QLabel* errorLabel() const { return m_error; }
    QLabel* settingsBanner() const { return m_settings; }
    QPushButton* refreshButton() const { return m_refresh; }
    QPushButton* failoverButton() const { return m_failover; }

    // The banner's text for a refresh (empty when the master matches).
    static QString settingsText(const RedisTopologyStatus& status);

public slots:
    void showStatus(const querydeck::RedisTopologyStatus& status);

signals:
    void refreshRequested();
    void failoverRequested();

private:
    RedisTopologyModel* m_model;
    QTableView* m_view;
    QLabel* m_status;
    QLabel* m_error;
    QLabel* m_settings;
    QPushButton* m_refresh;
    QPushButton* m_failover;
};

} // namespace querydeck
