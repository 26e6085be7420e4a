#pragma once

#include <QWidget>

class QComboBox;
class QToolButton;

namespace querydeck {

// The toolbar's time controls: range presets (5m … 24h, Custom… via
// CustomRangeDialog), refresh interval, Pause and Refresh now. Emits the
// effective refresh interval: 0 while paused. GUI thread only.
class TimeRangeBar : public QWidget
{
    Q_OBJECT

public:
    explicit TimeRangeBar(QWidget* parent = nullptr);

    qint64 rangeMs() const { return m_rangeMs; }
    qint64 endMs() const { return m_endMs; } // 0: now, following time
    int refreshIntervalMs() const;           // the chosen interval, even while paused
    int effectiveRefreshMs() const { return m_paused ? 0 : refreshIntervalMs(); }
    bool isPaused() const { return m_paused; }

    QComboBox* rangeCombo() const { return m_range; }
    QComboBox* refreshCombo() const { return m_refresh; }
    QToolButton* pauseButton() const { return m_pause; }
    QToolButton* refreshNowButton() const { return m_refreshNow; }

public slots:
    void setPaused(bool paused);
    void togglePaused();
    // An absolute range, as the custom dialog would set it.
    void setCustomRange(qint64 fromMs, qint64 toMs);

signals:
    void rangeChanged(qint64 rangeMs, qint64 endMs);
    void refreshIntervalChanged(int ms); // effective: 0 while paused
    void paused(bool paused);
    void refreshNowRequested();

private:
    void onRangeActivated(int index);

    QComboBox* m_range = nullptr;
    QComboBox* m_refresh = nullptr;
    QToolButton* m_pause = nullptr;
    QToolButton* m_refreshNow = nullptr;
    qint64 m_rangeMs = 15 * 60 * 1000;
    qint64 m_endMs = 0;
    int m_lastPresetIndex = 1;
    bool m_paused = false;
};

} // namespace querydeck
