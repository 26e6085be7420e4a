#pragma once

#include "ui/alerts/ThresholdPageBase.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTimer;

namespace querydeck {

class ThresholdChart;

// Page 2: name, expression, comparator and threshold, over a live chart of
// the last hour of the expression (refreshed every few seconds while the page
// is shown). The threshold is typed (any locale's decimal point) or dragged on
// the chart; a value the series never reached is a warning, not a block.
class ThresholdConditionPage : public ThresholdPageBase
{
    Q_OBJECT

public:
    static constexpr qint64 kChartSpanMs = 3600 * 1000;
    static constexpr int kRefreshMs = 5000;

    explicit ThresholdConditionPage(ThresholdWizard* wizard);

    void initializePage() override;
    void cleanupPage() override;
    bool validatePage() override;
    int nextId() const override;

    QLineEdit* nameEdit() const { return m_name; }
    QLineEdit* expressionEdit() const { return m_expression; }
    QComboBox* comparatorBox() const { return m_comparator; }
    QLineEdit* thresholdEdit() const { return m_threshold; }
    ThresholdChart* chart() const { return m_chart; }

    bool isRefreshing() const;

public slots:
    void refreshChart();

protected:
    // The chart is live only while the page is on screen (also after Back).
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void thresholdTyped();
    void thresholdDragged(double value);
    void updateWarning();

    QLineEdit* m_name = nullptr;
    QLineEdit* m_expression = nullptr;
    QComboBox* m_comparator = nullptr;
    QLineEdit* m_threshold = nullptr;
    QLabel* m_nameMessage = nullptr;
    QLabel* m_expressionMessage = nullptr;
    QLabel* m_thresholdMessage = nullptr;
    QLabel* m_chartNote = nullptr;
    ThresholdChart* m_chart = nullptr;
    QTimer* m_refresh = nullptr;
    QTimer* m_debounce = nullptr;
};

} // namespace querydeck
