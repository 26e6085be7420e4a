#include "models/LogModel.h"

#include <QDateTime>
#include <algorithm>

namespace querydeck {

LogModel::LogModel(int capacity, QObject* parent)
    : QAbstractListModel(parent)
    , m_capacity(std::max(1, capacity))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &LogModel::flush);
}

int LogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant LogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry& e = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return formatLine(e);
    case TimestampRole:
        return e.ms;
    case LevelRole:
        return e.level;
    case LoggerRole:
        return e.logger;
    case MessageRole:
        return e.message;
    default:
        return {};
    }
}

QHash<int, QByteArray> LogModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(TimestampRole, "timestamp");
    names.insert(LevelRole, "level");
    names.insert(LoggerRole, "logger");
    names.insert(MessageRole, "message");
    return names;
}

void LogModel::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    trimTo(m_capacity);
    while (m_pending.size() > std::size_t(m_capacity)) {
        m_pending.pop_front();
        ++m_dropped;
    }
}

void LogModel::setFlushInterval(int ms)
{
    m_timer.setInterval(std::max(0, ms));
}

void LogModel::append(qint64 ms, int level, const QString& logger, const QString& message)
{
    // Records beyond one model's worth would be removed again at once by flush().
    if (m_pending.size() >= std::size_t(m_capacity)) {
        m_pending.pop_front();
        ++m_dropped;
    }
    m_pending.push_back({ms, level, logger, message});
    if (!m_timer.isActive())
        m_timer.start();
}

void LogModel::flush()
{
    m_timer.stop();
    if (m_pending.empty())
        return;
    const int incoming = int(m_pending.size()); // <= capacity, see append()
    trimTo(m_capacity - incoming);
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + incoming - 1);
    std::move(m_pending.begin(), m_pending.end(), std::back_inserter(m_rows));
    m_pending.clear();
    endInsertRows();
}

void LogModel::clear()
{
    m_timer.stop();
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    endResetModel();
}

void LogModel::trimTo(int rows)
{
    const int excess = int(m_rows.size()) - std::max(0, rows);
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + excess);
    endRemoveRows();
}

QString LogModel::formatLine(const Entry& entry)
{
    return QStringLiteral("%1 %2 [%3] %4")
        .arg(QDateTime::fromMSecsSinceEpoch(entry.ms).toString(
                 QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
             levelName(entry.level).leftJustified(5), entry.logger, entry.message);
}

QString LogModel::levelName(int level)
{
    switch (level) {
    case 0:
        return QStringLiteral("TRACE");
    case 1:
        return QStringLiteral("DEBUG");
    case 2:
        return QStringLiteral("INFO");
    case 3:
        return QStringLiteral("WARN");
    case 4:
        return QStringLiteral("ERROR");
    case 5:
        return QStringLiteral("CRITICAL");
    default:
        return QStringLiteral("L%1").arg(level);
    }
}

} // namespace querydeck
