#pragma once

#include "backend/common/Clock.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>
#include <random>

class QNetworkAccessManager;
class QTimer;

namespace querydeck {

// Drives a query service over real HTTP so the dashboard has something to
// show: POSTs {"query", "client"} to <target>/v1/query at `rate` per second
// (fractional rates accumulate), never more than maxConcurrent requests in
// flight (ticks that find the limit reached are dropped, so a slow service
// is not flooded when it recovers). The mix: half repeat an earlier question
// verbatim (exact cache hits), a quarter reword one slightly (a polite word,
// case, punctuation, a synonym: mostly semantic hits), a quarter ask a new
// one from the question list (then recombined ones once the list is used
// up). Up to 20 clients "traffic-N", with the number in use drifting over a
// five-minute cycle so the active-users gauge moves. stats() at most once a
// second. Lives on one thread (the telemetry thread or its own); its network
// manager and timers are created on that thread by start().
class TrafficGenerator : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultMaxConcurrent = 16;
    static constexpr int kClients = 20;
    static constexpr int kStatsIntervalMs = 1000; // stats() at most this often

    explicit TrafficGenerator(QObject* parent = nullptr);
    ~TrafficGenerator() override;

    // One question per non-empty line; ":/data/sample-questions.txt" by default.
    static QStringList
    loadQuestions(const QString& path = QStringLiteral(":/data/sample-questions.txt"));
    void setQuestions(QStringList questions);
    void setMaxConcurrent(int requests) { m_maxConcurrent = std::max(1, requests); }
    void setSeed(quint32 seed) { m_random.seed(seed); }
    // Sends each simulated client as its own address in X-Forwarded-For, so a
    // service that trusts the generator as a proxy rate-limits them apart, as
    // it would real users. The addresses are 198.18.0.1 upwards, in RFC 2544's
    // range for benchmark traffic, so they can never be mistaken for a real client.
    void setForwardedFor(bool on) { m_forwardedFor = on; }
    // The clock the rate is paced by (milliseconds; only differences are
    // used): a steady clock by default, a ManualClock in tests so that the
    // requests owed are exact. Set before start().
    void setClock(Clock clock) { m_clock = std::move(clock); }
    // The simulated address of "traffic-N" (N from 1).
    static QByteArray simulatedAddress(int client);

    bool isRunning() const { return m_running; }
    double rate() const { return m_rate; }
    QUrl target() const { return m_target; }
    quint64 sent() const { return m_sent; }
    quint64 succeeded() const { return m_ok; }
    quint64 failed() const { return m_failed; }
    int inFlight() const { return m_inFlight; }

    // The next question the mix picks (exposed for tests of the mix).
    QString nextQuestion();
    // A small edit of `question` that keeps its meaning.
    QString reword(const QString& question);

public slots:
    void start();
    void stop();
    void setRate(double perSecond);
    void setTarget(const QUrl& target);

signals:
    void stats(quint64 sent, quint64 ok, quint64 failed);

private:
    void tick();
    void send();
    QString newQuestion();
    int pickClient();
    void emitStats();
    int randomInt(int below);

    QStringList m_questions;
    QStringList m_order; // m_questions shuffled, consumed by newQuestion()
    QStringList m_asked; // bounded history for repeats and rewordings
    QUrl m_target;
    double m_rate = 5.0;
    double m_due = 0.0; // fractional requests owed
    int m_maxConcurrent = kDefaultMaxConcurrent;
    bool m_forwardedFor = false;
    int m_inFlight = 0;
    bool m_running = false;
    quint64 m_sent = 0;
    quint64 m_ok = 0;
    quint64 m_failed = 0;
    quint64 m_reportedSent = ~0ULL;
    quint64 m_reportedDone = ~0ULL;
    std::mt19937 m_random{std::random_device{}()};
    Clock m_clock;
    qint64 m_lastTickMs = 0;
    QElapsedTimer m_sinceStart;
    QNetworkAccessManager* m_network = nullptr;
    QTimer* m_tickTimer = nullptr;
    QTimer* m_statsTimer = nullptr;
};

} // namespace querydeck
