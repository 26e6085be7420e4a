// CachedSecret: the store is asked once, again only after forget(); a failed
// read is not cached; an unset reference never asks; describe() names the
// reference and never the value. Concurrent readers get the same value.
#include "SecretRefs.h"
#include "backend/secrets/CachedSecret.h"

#include <QTest>
#include <atomic>
#include <thread>
#include <vector>

using namespace querydeck;
using namespace querydeck::test;

namespace {

// Our own SecretStore interface, answering from memory and counting reads.
class CountingStore final : public SecretStore
{
public:
    SecretResult read(const SecretRef& ref) override
    {
        ++reads;
        if (failNext.exchange(false))
            return {{}, QStringLiteral("keychain entry \"%1\": locked").arg(ref.keychainKey)};
        return {value, {}};
    }
    QString write(const QString&, const QString&) override { return {}; }

    std::atomic<int> reads{0};
    std::atomic<bool> failNext{false};
    QString value = QStringLiteral("s3cret");
};

} // namespace

class CachedSecretTest : public QObject
{
    Q_OBJECT

private slots:
    void readsOnceUntilForgotten()
    {
        auto store = std::make_shared<CountingStore>();
        CachedSecret secret(store, keychainRef(QStringLiteral("redis")));
        QVERIFY(secret.isSet());
        QCOMPARE(secret.read().value, QStringLiteral("s3cret"));
        QCOMPARE(secret.read().value, QStringLiteral("s3cret"));
        QCOMPARE(store->reads.load(), 1);
        store->value = QStringLiteral("n3w");
        secret.forget();
        QCOMPARE(secret.read().value, QStringLiteral("n3w"));
        QCOMPARE(store->reads.load(), 2);
    }

    void failureIsNotCached()
    {
        auto store = std::make_shared<CountingStore>();
        store->failNext = true;
        CachedSecret secret(store, keychainRef(QStringLiteral("redis")));
        const SecretResult failed = secret.read();
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error, QStringLiteral("keychain entry \"redis\": locked"));
        QVERIFY(secret.read().ok());
        QCOMPARE(store->reads.load(), 2);
    }

    void unsetNeverAsks()
    {
        auto store = std::make_shared<CountingStore>();
        CachedSecret secret(store, SecretRef{});
        QVERIFY(!secret.isSet());
        const SecretResult result = secret.read();
        QVERIFY(result.ok());
        QVERIFY(result.value.isEmpty());
        QCOMPARE(store->reads.load(), 0);
        QVERIFY(secret.describe().isEmpty());
        CachedSecret noStore(nullptr, keychainRef(QStringLiteral("x")));
        QCOMPARE(noStore.read().error, QStringLiteral("no secret store"));
    }

    void describeNamesTheReference()
    {
        QCOMPARE(CachedSecret(nullptr, keychainRef(QStringLiteral("redis"))).describe(),
                 QStringLiteral("keychain entry \"redis\""));
        QCOMPARE(CachedSecret(nullptr, envRef(QStringLiteral("QD_PW"))).describe(),
                 QStringLiteral("environment variable \"QD_PW\""));
    }

    void concurrentReaders()
    {
        auto store = std::make_shared<CountingStore>();
        CachedSecret secret(store, keychainRef(QStringLiteral("redis")));
        std::atomic<int> good{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 200; ++i) {
                    if (i % 50 == 0)
                        secret.forget();
                    good += secret.read().value == QLatin1String("s3cret") ? 1 : 0;
                }
            });
        for (std::thread& t : threads)
            t.join();
        QCOMPARE(good.load(), 8 * 200);
        QVERIFY(store->reads.load() >= 1 && store->reads.load() <= 8 * 4 + 8);
    }
};

QTEST_GUILESS_MAIN(CachedSecretTest)
#include "tst_cachedsecret.moc"
