#pragma once

#include "backend/alerting/AlertRule.h"

#include <QAction>
#include <functional>
#include <vector>

class QMessageBox;

namespace querydeck {

// Alerts ▸ Export rules for Prometheus…: writes the rules the console runs
// right now (kept current by setRules from the engine, so the threshold
// wizard's edits are in it) as a Prometheus alerting rules file, the same
// file `querydeck export-rules` writes, and says what it wrote and which
// rules it left out, in a message box that does not block. GUI thread only.
class RulesExportAction : public QAction
{
    Q_OBJECT

public:
    // Asks where to save; empty when cancelled. Tests replace the file dialog.
    using PathPrompt = std::function<QString(QWidget* parent)>;

    explicit RulesExportAction(QWidget* parent);

    void setRules(const std::vector<AlertRule>& rules);
    void setPathPrompt(PathPrompt prompt) { m_prompt = std::move(prompt); }
    // The message box of the last export (nullptr before one, or once closed).
    QMessageBox* lastReport() const { return m_report; }

private:
    void exportRules();

    std::vector<AlertRule> m_rules;
    PathPrompt m_prompt;
    QMessageBox* m_report = nullptr;
};

} // namespace querydeck
