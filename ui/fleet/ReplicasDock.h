#pragma once

#include <QDockWidget>
#include <QPointer>
#include <functional>

class QLabel;
class QPushButton;
class QTableView;
class QTimer;

namespace querydeck {

class ReplicaSet;
class ReplicaTableModel;

// The replicas of a fleet: state, address, in-flight requests, restarts, CPU,
// RSS and uptime per replica, with Drain, Restart and Logs for the selected one. The
// actions call the ReplicaSet (asynchronous) and its events show in the line
// under the table. Logs opens the replica's log file when a resolver for its
// path is set (local replica sets). GUI thread only.
class ReplicasDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit ReplicasDock(QWidget* parent = nullptr);

    void setReplicaSet(ReplicaSet* set);
    // Replica id → log file path ("" when it has none).
    void setLogPathResolver(std::function<QString(const QString&)> resolver);

    ReplicaTableModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QPushButton* drainButton() const { return m_drain; }
    QPushButton* restartButton() const { return m_restart; }
    QPushButton* logsButton() const { return m_logs; }
    QLabel* eventLabel() const { return m_event; }

    QString selectedId() const;
    // The last part of a log file, for the logs viewer (and its test).
    static QString readLogTail(const QString& path, qint64 maxBytes = 256 * 1024);

signals:
    // The logs viewer opened (its window title names the replica).
    void logsShown(QWidget* viewer);

private:
    void updateActions();
    void showLogs();

    ReplicaTableModel* m_model;
    QTableView* m_view;
    QPushButton* m_drain;
    QPushButton* m_restart;
    QPushButton* m_logs;
    QLabel* m_summary;
    QLabel* m_event;
    QTimer* m_uptimeTimer;
    QPointer<ReplicaSet> m_set;
    std::function<QString(const QString&)> m_logPath;
};

} // namespace querydeck
