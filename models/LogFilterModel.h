#pragma once

#include <QSortFilterProxyModel>

namespace querydeck {

// Filters a LogModel for the Logs dock: records at or above a minimum level
// whose message or logger contains the filter text (case-insensitive).
// GUI-thread object, like its source.
class LogFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit LogFilterModel(QObject* parent = nullptr);

    int minimumLevel() const { return m_minimumLevel; }
    QString text() const { return m_text; }

public slots:
    void setMinimumLevel(int level); // spdlog level, 0 (trace) shows everything
    void setText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    int m_minimumLevel = 0;
    QString m_text;
};

} // namespace querydeck
