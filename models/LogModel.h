#pragma once

#include <QAbstractListModel>
#include <QString>
#include <QTimer>
#include <deque>

namespace querydeck {

// The Logs dock's model: a bounded ring of log records fed by LogBridge
// (connect LogBridge::record to append() with Qt::QueuedConnection). When
// full, the oldest rows are removed (beginRemoveRows) before new ones are
// inserted. append() only queues; a timer flushes the queue every
// flushInterval() ms as one remove + one insert, so a log storm costs views a
// few updates per second, not one per record. The queue is bounded too: in a
// storm the oldest queued records are dropped (counted in droppedCount()).
// GUI-thread object: call everything from the thread it lives on.
class LogModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role
    {
        TimestampRole = Qt::UserRole + 1, // qint64 ms since the epoch
        LevelRole,                        // int, spdlog level (0 trace .. 5 critical)
        LoggerRole,                       // QString
        MessageRole                       // QString
    };
    Q_ENUM(Role)

    struct Entry
    {
        qint64 ms = 0;
        int level = 0;
        QString logger;
        QString message;
    };

    explicit LogModel(int capacity = 5000, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity); // trims the oldest rows when smaller; minimum 1
    int flushInterval() const { return m_timer.interval(); }
    void setFlushInterval(int ms);
    int pendingCount() const { return int(m_pending.size()); }
    qint64 droppedCount() const { return m_dropped; }
    const Entry& entry(int row) const { return m_rows.at(std::size_t(row)); }

    // "2026-11-22 14:35:50.123 WARN  [cache] message" in local time.
    static QString formatLine(const Entry& entry);
    static QString levelName(int level); // TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL

public slots:
    void append(qint64 ms, int level, const QString& logger, const QString& message);
    void flush(); // applies the queue now
    void clear(); // a model reset; drops queued records too

private:
    void trimTo(int rows);

    int m_capacity;
    std::deque<Entry> m_rows;
    std::deque<Entry> m_pending;
    qint64 m_dropped = 0;
    QTimer m_timer;
};

} // namespace querydeck
