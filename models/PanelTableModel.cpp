#include "models/PanelTableModel.h"

#include <QDateTime>
#include <QLocale>
#include <algorithm>
#include <cmath>

namespace querydeck {

namespace {

QString csvNumber(double v)
{
    if (std::isnan(v))
        return QStringLiteral("NaN");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

} // namespace

PanelTableModel::PanelTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void PanelTableModel::setPanelData(const PanelData& data)
{
    beginResetModel();
    m_data = data;
    m_times.clear();
    for (const EvaluatedSeries& series : m_data.series) {
        for (const Point& p : series.points)
            m_times.push_back(p.t);
    }
    std::sort(m_times.begin(), m_times.end());
    m_times.erase(std::unique(m_times.begin(), m_times.end()), m_times.end());

    m_cells.assign(m_times.size(), std::vector<std::optional<double>>(m_data.series.size()));
    for (std::size_t s = 0; s < m_data.series.size(); ++s) {
        for (const Point& p : m_data.series[s].points) {
            const auto row = std::lower_bound(m_times.begin(), m_times.end(), p.t);
            m_cells[std::size_t(row - m_times.begin())][s] = p.v;
        }
    }
    endResetModel();
}

void PanelTableModel::setDecimals(int decimals)
{
    if (decimals == m_decimals)
        return;
    m_decimals = decimals;
    if (!m_times.empty() && columnCount() > 1) {
        emit dataChanged(index(0, 1), index(rowCount() - 1, columnCount() - 1), {Qt::DisplayRole});
    }
}

int PanelTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_times.size());
}

int PanelTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 1 + int(m_data.series.size());
}

QVariant PanelTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qint64 t = m_times[std::size_t(index.row())];
    if (role == TimestampRole)
        return t;
    if (index.column() == 0) {
        if (role == Qt::DisplayRole)
            return QDateTime::fromMSecsSinceEpoch(t).toString(
                QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        return {};
    }
    const std::optional<double> v = value(index.row(), index.column() - 1);
    switch (role) {
    case Qt::DisplayRole:
        if (!v)
            return QString();
        if (!std::isfinite(*v))
            return csvNumber(*v);
        return m_decimals >= 0 ? QString::number(*v, 'f', m_decimals) : QString::number(*v, 'g', 6);
    case ValueRole:
        return v ? QVariant(*v) : QVariant();
    case Qt::TextAlignmentRole:
        return int(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant PanelTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section >= 0 && section < rowCount() ? QVariant(section + 1) : QVariant();
    if (section == 0)
        return tr("Time");
    if (section > 0 && section < columnCount())
        return legend(section - 1);
    return {};
}

QHash<int, QByteArray> PanelTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(TimestampRole, "timestamp");
    names.insert(ValueRole, "value");
    return names;
}

QString PanelTableModel::toCsv() const
{
    QString csv = QStringLiteral("time");
    for (int s = 0; s < int(m_data.series.size()); ++s)
        csv += u',' + csvField(legend(s));
    csv += QStringLiteral("\r\n");
    for (int row = 0; row < rowCount(); ++row) {
        csv += QDateTime::fromMSecsSinceEpoch(m_times[std::size_t(row)], Qt::UTC)
                   .toString(Qt::ISODateWithMs);
        for (int s = 0; s < int(m_data.series.size()); ++s) {
            csv += u',';
            if (const auto v = value(row, s))
                csv += csvNumber(*v);
        }
        csv += QStringLiteral("\r\n");
    }
    return csv;
}

QString PanelTableModel::csvField(const QString& text)
{
    QString field = text;
    if (!field.isEmpty() && QStringLiteral("=+-@").contains(field.front()))
        field.prepend(u'\'');
    if (field.contains(u',') || field.contains(u'"') || field.contains(u'\n') ||
        field.contains(u'\r')) {
        field.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        field = u'"' + field + u'"';
    }
    return field;
}

QString PanelTableModel::legend(int series) const
{
    const QString& text = m_data.series[std::size_t(series)].legend;
    return text.isEmpty() ? tr("series %1").arg(series + 1) : text;
}

std::optional<double> PanelTableModel::value(int row, int series) const
{
    return m_cells[std::size_t(row)][std::size_t(series)];
}

} // namespace querydeck
