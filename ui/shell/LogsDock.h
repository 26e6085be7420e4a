#pragma once

#include <QDockWidget>
#include <QPointer>
#include <QSortFilterProxyModel>

class QAbstractItemModel;
class QComboBox;
class QLineEdit;

class QTableView;

namespace querydeck {

// Shows any log model through a filter proxy. The level combo and the text
// field emit levelFilterChanged / textFilterChanged; the default proxy applies
// the text filter itself, a proxy given with setFilterProxy (e.g.
// LogFilterModel) is driven by whoever connects those signals. Follows new
// rows unless the user scrolled up. GUI thread only.
class LogsDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit LogsDock(QWidget* parent = nullptr);

    void setLogModel(QAbstractItemModel* model);
    // Replaces the default proxy; the dock does not take ownership. Connect
    // the filter signals first: this re-emits the current level and text.
    void setFilterProxy(QSortFilterProxyModel* proxy);
    QSortFilterProxyModel* filterProxy() const { return m_proxy; }

    // spdlog levels: 0 trace … 5 critical.
    int minimumLevel() const;
    QString textFilter() const;

    QComboBox* levelCombo() const { return m_level; }
    QLineEdit* filterEdit() const { return m_filter; }
    QTableView* view() const { return m_view; }

signals:
    void levelFilterChanged(int minimumLevel);
    void textFilterChanged(const QString& text);

private:
    void applyDefaultFilter();

    QComboBox* m_level = nullptr;
    QLineEdit* m_filter = nullptr;
    QTableView* m_view = nullptr;
    QSortFilterProxyModel* m_defaultProxy = nullptr;
    QPointer<QSortFilterProxyModel> m_proxy;
    QPointer<QAbstractItemModel> m_model;
    QMetaObject::Connection m_follow;
};

} // namespace querydeck
