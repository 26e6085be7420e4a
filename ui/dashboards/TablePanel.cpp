#include "ui/dashboards/TablePanel.h"

#include "ui/common/Theme.h"

#include <QHeaderView>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace querydeck {

TablePanel::TablePanel(const PanelDefinition& definition, QWidget* parent)
    : PanelWidget(definition, parent)
{
    m_model = new QStandardItemModel(0, 2, this);
    m_model->setHorizontalHeaderLabels({tr("Series"), tr("Value")});
    m_model->setHeaderData(1, Qt::Horizontal, int(Qt::AlignRight | Qt::AlignVCenter),
                           Qt::TextAlignmentRole);

    m_view = new QTableView(body());
    m_view->setObjectName(QStringLiteral("tableView"));
    m_view->setModel(m_model);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setShowGrid(false);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);

    auto* layout = new QVBoxLayout(body());
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    applyTheme();
    updateBody();
}

void TablePanel::updateBody()
{
    const int rows = int(m_data.series.size());
    if (m_model->rowCount() > rows)
        m_model->removeRows(rows, m_model->rowCount() - rows);
    for (int row = 0; row < rows; ++row) {
        const EvaluatedSeries& series = m_data.series[size_t(row)];
        const double value = lastValue(series);
        if (row >= m_model->rowCount()) {
            auto* name = new QStandardItem;
            auto* cell = new QStandardItem;
            cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_model->appendRow({name, cell});
        }
        const QString legend = series.legend.isEmpty() ? m_definition.title : series.legend;
        QStandardItem* name = m_model->item(row, 0);
        QStandardItem* cell = m_model->item(row, 1);
        if (name->text() != legend) {
            name->setText(legend);
            name->setToolTip(legend);
        }
        const QString text = formatValue(value);
        if (cell->text() != text)
            cell->setText(text);
        cell->setData(value, Qt::UserRole + 1);
        cell->setForeground(colorFor(value));
    }
}

void TablePanel::applyTheme()
{
    QPalette palette = m_view->palette();
    palette.setColor(QPalette::Base, Theme::color(Theme::Role::Panel));
    palette.setColor(QPalette::Window, Theme::color(Theme::Role::Panel));
    palette.setColor(QPalette::Text, Theme::color(Theme::Role::Text));
    palette.setColor(QPalette::Button, Theme::color(Theme::Role::Panel));
    palette.setColor(QPalette::ButtonText, Theme::color(Theme::Role::MutedText));
    m_view->setPalette(palette);
    m_view->horizontalHeader()->setPalette(palette);
    // A flat header, as in the rest of the panel chrome: muted text over a hairline.
    m_view->horizontalHeader()->setStyleSheet(
        QStringLiteral("QHeaderView::section { background-color: %1; color: %2; border: none;"
                       " border-bottom: 1px solid %3; padding: 0.2em 0.3em; }")
            .arg(Theme::color(Theme::Role::Panel).name(),
                 Theme::color(Theme::Role::MutedText).name(),
                 Theme::color(Theme::Role::PanelBorder).name()));

    QFont tableFont = font();
    if (wallMode())
        tableFont.setPointSizeF(tableFont.pointSizeF() * 1.6);
    m_view->setFont(tableFont);
    QFont headerFont = tableFont;
    headerFont.setWeight(QFont::DemiBold);
    m_view->horizontalHeader()->setFont(headerFont);
    const int line = QFontMetrics(tableFont).height();
    m_view->verticalHeader()->setDefaultSectionSize(line * 8 / 5);
    m_view->verticalHeader()->setMinimumSectionSize(line);
}

void TablePanel::themeChanged()
{
    if (m_view)
        applyTheme();
    updateBody(); // threshold colours follow the mode
}

void TablePanel::setWallMode(bool wall)
{
    PanelWidget::setWallMode(wall);
    applyTheme();
}

} // namespace querydeck
