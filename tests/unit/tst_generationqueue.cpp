#include "backend/service/GenerationQueue.h"

#include <QScopeGuard>
#include <QTest>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

using namespace querydeck;
using namespace std::chrono_literals;
using Outcome = GenerationQueue::Outcome;

class TestGenerationQueue : public QObject
{
    Q_OBJECT

private slots:
    void admitsUpToConcurrency();
    void settingsAreClamped();
    void fullIsRefusedImmediately();
    void zeroCapacityRefusesWhenBusy();
    void waitTimesOut();
    void zeroWaitTimesOutWithoutWaiting();
    void releaseAdmitsWaiterInOrder();
    void closeWakesWaitersAndRefusesNewOnes();
    void ticketReleasesOnDestruction();
    void movedTicketReleasesOnce();
    void moveAssignReleasesPreviousSlot();
    void stressNeverExceedsConcurrency();
};

void TestGenerationQueue::admitsUpToConcurrency()
{
    GenerationQueue queue(3, 5);
    QCOMPARE(queue.concurrency(), 3);
    QCOMPARE(queue.capacity(), 5);
    std::vector<GenerationQueue::Admission> running;
    for (int i = 0; i < 3; ++i) {
        running.push_back(queue.enter(0ms));
        QCOMPARE(running.back().outcome, Outcome::Admitted);
        QVERIFY(running.back().ticket.has_value());
        QVERIFY(running.back());
    }
    QCOMPARE(queue.inFlight(), 3);
    QCOMPARE(queue.depth(), 0);
    const auto refused = queue.enter(0ms);
    QCOMPARE(refused.outcome, Outcome::TimedOut);
    QVERIFY(!refused.ticket);
    QCOMPARE(queue.inFlight(), 3);
    QCOMPARE(queue.rejected(), 1u);
}

void TestGenerationQueue::settingsAreClamped()
{
    GenerationQueue queue(0, -3);
    QCOMPARE(queue.concurrency(), 1);
    QCOMPARE(queue.capacity(), 0);
}

void TestGenerationQueue::fullIsRefusedImmediately()
{
    GenerationQueue queue(1, 1);
    auto running = queue.enter(0ms);
    QVERIFY(running);

    // One caller waits (long); the next finds the line full.
    auto waiter = std::async(std::launch::async, [&] { return queue.enter(10s).outcome; });
    QTRY_COMPARE(queue.depth(), 1);

    // Asked to wait an hour while nothing frees the slot or closes the queue,
    // enter() can only return by refusing without waiting; the guard unblocks
    // it (and the waiter) if it does wait, so a failure is not a hang.
    auto newcomer = std::async(std::launch::async, [&] { return queue.enter(1h); });
    const auto unblock = qScopeGuard([&] { queue.close(); });
    QTRY_VERIFY_WITH_TIMEOUT(newcomer.wait_for(0s) == std::future_status::ready, 10000);
    QCOMPARE(queue.inFlight(), 1); // still held: the refusal came before any release
    const auto refused = newcomer.get();
    QCOMPARE(refused.outcome, Outcome::Full);
    QVERIFY(!refused.ticket);
    QCOMPARE(queue.rejected(Outcome::Full), 1u);

    running.ticket->release();
    QCOMPARE(waiter.get(), Outcome::Admitted);
    QCOMPARE(queue.inFlight(), 0); // the waiter's ticket died with its admission
    QCOMPARE(queue.rejected(), 1u);
}

void TestGenerationQueue::zeroCapacityRefusesWhenBusy()
{
    GenerationQueue queue(1, 0);
    auto running = queue.enter(0ms);
    QVERIFY(running);
    QCOMPARE(queue.enter(1s).outcome, Outcome::Full);
}

void TestGenerationQueue::waitTimesOut()
{
    GenerationQueue queue(1, 4);
    auto running = queue.enter(0ms);
    const auto refused = queue.enter(60ms);
    // TimedOut with a positive maxWait comes only from the queue's own
    // deadline (a steady-clock wait_until) passing: the caller stood in line
    // for it. That a waiter is in line, and admitted by a release within its
    // wait, is what the admission-order tests show.
    QCOMPARE(refused.outcome, Outcome::TimedOut);
    QCOMPARE(queue.depth(), 0); // the timed-out waiter left the line
    QCOMPARE(queue.rejected(Outcome::TimedOut), 1u);
    QCOMPARE(queue.inFlight(), 1);
}

void TestGenerationQueue::zeroWaitTimesOutWithoutWaiting()
{
    GenerationQueue queue(1, 4);
    auto running = queue.enter(0ms);
    QCOMPARE(queue.enter(0ms).outcome, Outcome::TimedOut);
    QCOMPARE(queue.enter(-5ms).outcome, Outcome::TimedOut);
    QCOMPARE(queue.depth(), 0);
}

void TestGenerationQueue::releaseAdmitsWaiterInOrder()
{
    GenerationQueue queue(1, 4);
    auto running = queue.enter(0ms);
    std::mutex orderMutex;
    std::vector<int> order;
    const auto waiter = [&](int id) {
        auto admission = queue.enter(10s);
        std::lock_guard lock(orderMutex);
        order.push_back(admission ? id : -id);
        // Ticket released here, handing the slot to the next in line.
    };
    auto first = std::async(std::launch::async, waiter, 1);
    QTRY_COMPARE(queue.depth(), 1);
    auto second = std::async(std::launch::async, waiter, 2);
    QTRY_COMPARE(queue.depth(), 2);
    auto third = std::async(std::launch::async, waiter, 3);
    QTRY_COMPARE(queue.depth(), 3);

    // A newcomer arriving while others wait must queue behind them, not jump in.
    QCOMPARE(queue.enter(0ms).outcome, Outcome::TimedOut);

    running.ticket.reset();
    first.get();
    second.get();
    third.get();
    QCOMPARE(order, (std::vector<int>{1, 2, 3}));
    QCOMPARE(queue.inFlight(), 0);
    QCOMPARE(queue.depth(), 0);
}

void TestGenerationQueue::closeWakesWaitersAndRefusesNewOnes()
{
    GenerationQueue queue(1, 4);
    auto running = queue.enter(0ms);
    auto a = std::async(std::launch::async, [&] { return queue.enter(30s).outcome; });
    auto b = std::async(std::launch::async, [&] { return queue.enter(30s).outcome; });
    QTRY_COMPARE(queue.depth(), 2);

    // Without the wake-up they would time out after 30 s: TimedOut, not Closed.
    queue.close();
    QCOMPARE(a.get(), Outcome::Closed);
    QCOMPARE(b.get(), Outcome::Closed);
    QVERIFY(queue.isClosed());
    QCOMPARE(queue.depth(), 0);
    QCOMPARE(queue.enter(0ms).outcome, Outcome::Closed);
    QCOMPARE(queue.rejected(Outcome::Closed), 3u);

    // The running generation finishes normally and frees its slot.
    QCOMPARE(queue.inFlight(), 1);
    running.ticket.reset();
    QCOMPARE(queue.inFlight(), 0);
}

void TestGenerationQueue::ticketReleasesOnDestruction()
{
    GenerationQueue queue(2, 0);
    {
        auto one = queue.enter(0ms);
        auto two = queue.enter(0ms);
        QVERIFY(one && two);
        QCOMPARE(queue.inFlight(), 2);
        QCOMPARE(queue.enter(0ms).outcome, Outcome::Full);
    }
    QCOMPARE(queue.inFlight(), 0);
    auto again = queue.enter(0ms);
    QVERIFY(again);
    again.ticket->release();
    QVERIFY(!again.ticket->isValid());
    again.ticket->release(); // second release is a no-op
    QCOMPARE(queue.inFlight(), 0);
}

void TestGenerationQueue::movedTicketReleasesOnce()
{
    GenerationQueue queue(2, 0);
    auto other = queue.enter(0ms); // keeps one slot busy, so a double release would show
    {
        auto admission = queue.enter(0ms);
        QCOMPARE(queue.inFlight(), 2);
        GenerationQueue::Ticket moved = std::move(*admission.ticket);
        QVERIFY(moved.isValid());
        QVERIFY(!admission.ticket->isValid());
        admission.ticket.reset(); // the moved-from ticket releases nothing
        QCOMPARE(queue.inFlight(), 2);
        GenerationQueue::Ticket movedAgain(std::move(moved));
        QCOMPARE(queue.inFlight(), 2);
    }
    QCOMPARE(queue.inFlight(), 1);
}

void TestGenerationQueue::moveAssignReleasesPreviousSlot()
{
    GenerationQueue queue(2, 0);
    auto a = queue.enter(0ms);
    auto b = queue.enter(0ms);
    QCOMPARE(queue.inFlight(), 2);
    *a.ticket = std::move(*b.ticket); // a's own slot is released, b's is taken over
    QCOMPARE(queue.inFlight(), 1);
    *a.ticket = std::move(*a.ticket); // self-move keeps the slot
    QVERIFY(a.ticket->isValid());
    QCOMPARE(queue.inFlight(), 1);
    a.ticket.reset();
    QCOMPARE(queue.inFlight(), 0);
}

void TestGenerationQueue::stressNeverExceedsConcurrency()
{
    const int concurrency = 3;
    const int threads = 12;
    const int rounds = 300;
    GenerationQueue queue(concurrency, threads); // everyone fits in the line
    std::atomic<int> running{0};
    std::atomic<int> maxRunning{0};
    std::atomic<int> admitted{0};

    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            for (int i = 0; i < rounds; ++i) {
                auto admission = queue.enter(30s);
                if (!admission)
                    continue;
                ++admitted;
                const int now = ++running;
                int seen = maxRunning.load();
                while (now > seen && !maxRunning.compare_exchange_weak(seen, now)) {
                }
                std::this_thread::yield();
                --running;
            }
        });
    }
    for (auto& worker : workers)
        worker.join();

    QVERIFY2(maxRunning.load() <= concurrency, qPrintable(QString::number(maxRunning.load())));
    QVERIFY(maxRunning.load() >= 1);
    QCOMPARE(admitted.load(), threads * rounds);
    QCOMPARE(queue.rejected(), 0u);
    QCOMPARE(queue.inFlight(), 0);
    QCOMPARE(queue.depth(), 0);
}

QTEST_GUILESS_MAIN(TestGenerationQueue)
#include "tst_generationqueue.moc"
