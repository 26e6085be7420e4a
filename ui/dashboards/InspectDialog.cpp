#include "ui/dashboards/InspectDialog.h"

#include <QClipboard>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>
#include <map>

namespace querydeck {

namespace {

QString legendOf(const EvaluatedSeries& series, int index)
{
    return series.legend.isEmpty() ? QStringLiteral("series %1").arg(index + 1) : series.legend;
}

// Rows keyed by time: series sampled at the same instants share a row.
std::map<qint64, std::vector<double>> rowsOf(const PanelData& data)
{
    std::map<qint64, std::vector<double>> rows;
    const size_t columns = data.series.size();
    for (size_t column = 0; column < columns; ++column) {
        for (const Point& p : data.series[column].points) {
            auto& row = rows[p.t];
            if (row.empty())
                row.assign(columns, std::numeric_limits<double>::quiet_NaN());
            row[column] = p.v;
        }
    }
    return rows;
}

QString rawNumber(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString csvField(QString text)
{
    if (!text.isEmpty() && QStringLiteral("=+-@\t\r").contains(text.front()))
        text.prepend('\'');
    if (text.contains(',') || text.contains('"') || text.contains('\n') || text.contains('\r'))
        text = '"' + text.replace('"', QStringLiteral("\"\"")) + '"';
    return text;
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

InspectDialog::InspectDialog(const QString& title, const PanelData& data, QWidget* parent)
    : QDialog(parent)
    , m_data(data)
{
    setWindowTitle(tr("Inspect: %1").arg(title));
    setObjectName(QStringLiteral("inspectDialog"));

    const auto rows = rowsOf(data);
    m_model = new QStandardItemModel(0, int(data.series.size()) + 1, this);
    QStringList headers{tr("Time")};
    for (size_t i = 0; i < data.series.size(); ++i)
        headers << legendOf(data.series[i], int(i));
    m_model->setHorizontalHeaderLabels(headers);
    for (const auto& [time, values] : rows) {
        QList<QStandardItem*> items;
        auto* when = new QStandardItem(QDateTime::fromMSecsSinceEpoch(time).toString(
            QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
        when->setData(time, Qt::UserRole + 1);
        items << when;
        for (double value : values) {
            auto* cell = new QStandardItem(rawNumber(value));
            cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            items << cell;
        }
        m_model->appendRow(items);
    }

    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->resizeColumnsToContents();

    auto* summary = new QLabel(
        tr("%n row(s), %1 series", nullptr, int(rows.size())).arg(data.series.size()), this);
    if (!data.error.isEmpty())
        summary->setText(summary->text() + QStringLiteral(" — ") + data.error);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_copy = buttons->addButton(tr("Copy as &CSV"), QDialogButtonBox::ActionRole);
    m_copy->setObjectName(QStringLiteral("copyCsvButton"));
    m_copy->setEnabled(!rows.empty());
    connect(m_copy, &QPushButton::clicked, this, &InspectDialog::copyCsv);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);

    const int line = fontMetrics().height();
    resize(line * 45, line * 30);
}

QString InspectDialog::csv() const
{
    return toCsv(m_data);
}

QString InspectDialog::toCsv(const PanelData& data)
{
    QStringList header{QStringLiteral("time")};
    for (size_t i = 0; i < data.series.size(); ++i)
        header << csvField(legendOf(data.series[i], int(i)));
    QString out = header.join(',') + QStringLiteral("\r\n");
    for (const auto& [time, values] : rowsOf(data)) {
        QStringList fields{isoTime(time)};
        for (double value : values)
            fields << (std::isnan(value) ? QString() : rawNumber(value));
        out += fields.join(',') + QStringLiteral("\r\n");
    }
    return out;
}

void InspectDialog::copyCsv()
{
    if (QClipboard* clipboard = QGuiApplication::clipboard())
        clipboard->setText(csv());
}

} // namespace querydeck
