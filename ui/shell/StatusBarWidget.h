#pragma once

#include "backend/dashboards/PanelData.h"

#include <QColor>
#include <QHash>
#include <QWidget>

class QHBoxLayout;
class QLabel;

namespace querydeck {

// The main window's status line: service address, replica count and one
// coloured chip per data source (ok / stale / error, last error as tooltip).
// GUI thread only; fed by MainWindow from the engine's queued status signal.
class StatusBarWidget : public QWidget
{
    Q_OBJECT

public:
    explicit StatusBarWidget(QWidget* parent = nullptr);

    void setServiceAddress(const QString& address);
    void setReplicaCount(int replicas);
    void setSourceStatus(const QList<SourceStatus>& status);

    QString serviceAddress() const;
    // The chip for a source id, nullptr when there is none.
    QLabel* chip(const QString& sourceId) const;
    static QColor healthColor(SourceHealth health);
    static QString healthName(SourceHealth health);

private:
    QLabel* m_address = nullptr;
    QLabel* m_replicas = nullptr;
    QHBoxLayout* m_chipLayout = nullptr;
    QHash<QString, QLabel*> m_chips;
};

} // namespace querydeck
