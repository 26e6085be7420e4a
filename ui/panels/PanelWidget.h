#pragma once

#include "telemetry/Dashboard.h"
#include "telemetry/PanelData.h"

#include <QFrame>

namespace querydeck {

// Base of every dashboard panel: a frame with a title bar (title, a menu
// with Maximise, Inspect and Export PNG) and a body drawn by the subclass
// from the latest PanelData. GUI thread only; setData() replaces, never
// appends.
class PanelWidget : public QFrame
{
    Q_OBJECT

public:
    static PanelWidget* create(const PanelDefinition& definition, QWidget* parent = nullptr);

    const PanelDefinition& definition() const { return m_definition; }
    const PanelData& data() const { return m_data; }
    void setData(const PanelData& data);
    // Wall mode: larger type, no menu, read-only.
    virtual void setWallMode(bool wall);
    bool wallMode() const { return m_wall; }

signals:
    void maximizeRequested(const QString& panelId);
    void inspectRequested(const QString& panelId);
    void exportRequested(const QString& panelId);

protected:
    PanelWidget(const PanelDefinition& definition, QWidget* parent);
    virtual void updateBody() = 0; // m_data changed
    QWidget* body() const { return m_body; }

    PanelDefinition m_definition;
    PanelData m_data;

private:
    QWidget* m_body = nullptr;
    bool m_wall = false;
};

} // namespace querydeck
