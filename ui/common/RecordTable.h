#pragma once

#include <QString>

class QAbstractItemModel;
class QTableView;
class QWidget;

namespace querydeck {

// The table a dock shows its records in (replicas, Redis nodes): read-only,
// one whole row selected at a time, no row numbers, columns sized to their
// contents, alternating row colours. Callers add what is their own (which
// column stretches, delegates). GUI thread only.
QTableView* createRecordTable(QAbstractItemModel* model, const QString& objectName,
                              const QString& accessibleName, QWidget* parent);

} // namespace querydeck
