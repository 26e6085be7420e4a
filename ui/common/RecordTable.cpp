#include "ui/common/RecordTable.h"

#include <QHeaderView>
#include <QTableView>

namespace querydeck {

QTableView* createRecordTable(QAbstractItemModel* model, const QString& objectName,
                              const QString& accessibleName, QWidget* parent)
{
    auto* view = new QTableView(parent);
    view->setObjectName(objectName);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->setAlternatingRowColors(true);
    view->setAccessibleName(accessibleName);
    return view;
}

} // namespace querydeck
