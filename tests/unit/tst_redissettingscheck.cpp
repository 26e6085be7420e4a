// RedisSettingsCheck over CONFIG GET replies as a server sends them: each
// setting that differs is listed once with its actual and recommended value,
// and a reply that is not a CONFIG GET array says the check could not run.
#include "backend/redisops/RedisSettingsCheck.h"

#include <QFile>
#include <QTest>

using namespace querydeck;

Q_DECLARE_METATYPE(querydeck::RedisReply)

namespace {

RedisReply text(const QByteArray& value)
{
    RedisReply r;
    r.type = RedisReply::Type::String;
    r.text = value;
    return r;
}

// A CONFIG GET reply: name, value, name, value...
RedisReply configReply(const QList<QPair<QByteArray, QByteArray>>& pairs)
{
    RedisReply r;
    r.type = RedisReply::Type::Array;
    for (const auto& [name, value] : pairs)
        r.elements << text(name) << text(value);
    return r;
}

const QList<QPair<QByteArray, QByteArray>> kRecommended{{"maxmemory", "2147483648"},
                                                        {"maxmemory-policy", "allkeys-lru"},
                                                        {"appendonly", "yes"},
                                                        {"appendfsync", "everysec"}};

QList<QPair<QByteArray, QByteArray>> with(const QByteArray& name, const QByteArray& value)
{
    auto pairs = kRecommended;
    for (auto& pair : pairs)
        if (pair.first == name)
            pair.second = value;
    return pairs;
}

} // namespace

class RedisSettingsCheckTest : public QObject
{
    Q_OBJECT

private slots:
    void commandAsksForEverySetting()
    {
        QCOMPARE(RedisSettingsCheck::configGetCommand(),
                 (QByteArrayList{"CONFIG", "GET", "maxmemory", "maxmemory-policy", "appendonly",
                                 "appendfsync"}));
    }

    void differences_data()
    {
        QTest::addColumn<RedisReply>("reply");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("actual");
        QTest::addColumn<QString>("recommended");
        QTest::newRow("maxmemory 0") << configReply(with("maxmemory", "0")) << "maxmemory"
                                     << "0"
                                     << "a limit, not 0";
        QTest::newRow("policy") << configReply(with("maxmemory-policy", "noeviction"))
                                << "maxmemory-policy"
                                << "noeviction"
                                << "allkeys-lru";
        QTest::newRow("appendonly") << configReply(with("appendonly", "no")) << "appendonly"
                                    << "no"
                                    << "yes";
        QTest::newRow("appendfsync") << configReply(with("appendfsync", "always")) << "appendfsync"
                                     << "always"
                                     << "everysec";
        QTest::newRow("empty value") << configReply(with("maxmemory", "")) << "maxmemory"
                                     << "empty"
                                     << "a limit, not 0";
        QTest::newRow("oversized value cut")
            << configReply(with("appendfsync", QByteArray(10000, 'x'))) << "appendfsync"
            << QString(64, 'x') << "everysec";
        auto upper = kRecommended;
        upper[2] = {"APPENDONLY", "no"}; // names compared without case
        QTest::newRow("upper-case name") << configReply(upper) << "appendonly"
                                         << "no"
                                         << "yes";
        auto missing = kRecommended;
        missing.removeAt(3); // an older server without the parameter
        QTest::newRow("not reported") << configReply(missing) << "appendfsync"
                                      << "not reported"
                                      << "everysec";
    }

    void differences()
    {
        QFETCH(RedisReply, reply);
        QFETCH(QString, name);
        QFETCH(QString, actual);
        QFETCH(QString, recommended);
        QString error;
        const auto found = RedisSettingsCheck::compare(reply, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().name, name);
        QCOMPARE(found.first().actual, actual);
        QCOMPARE(found.first().recommended, recommended);
        QVERIFY(!found.first().why.isEmpty());
        const QStringList sentences = RedisSettingsCheck::differences(reply);
        QCOMPARE(sentences.size(), 1);
        QVERIFY2(sentences.first().startsWith(name), qPrintable(sentences.first()));
    }

    void matchingServer()
    {
        QString error;
        QVERIFY(RedisSettingsCheck::compare(configReply(kRecommended), &error).isEmpty());
        QVERIFY(error.isEmpty());
        QVERIFY(RedisSettingsCheck::differences(configReply(kRecommended)).isEmpty());
    }

    void everythingDiffers()
    {
        const auto reply = configReply({{"maxmemory", "0"},
                                        {"maxmemory-policy", "noeviction"},
                                        {"appendonly", "no"},
                                        {"appendfsync", "no"}});
        QString error;
        QCOMPARE(RedisSettingsCheck::compare(reply, &error).size(), 4);
    }

    void notAConfigReply()
    {
        QString error;
        QVERIFY(
            RedisSettingsCheck::compare(RedisReply::error("ERR unknown command 'CONFIG'"), &error)
                .isEmpty());
        QCOMPARE(error, QStringLiteral("ERR unknown command 'CONFIG'"));
        QVERIFY(RedisSettingsCheck::compare(text("maxmemory 0"), &error).isEmpty());
        QCOMPARE(error, QStringLiteral("CONFIG GET did not return an array"));
        QCOMPARE(RedisSettingsCheck::differences(text("x")),
                 QStringList{"cannot check the recommended settings: CONFIG GET did not return "
                             "an array"});
    }

    void recommendedFileExists()
    {
        QVERIFY(QFile::exists(QStringLiteral(QUERYDECK_SOURCE_DIR "/") +
                              QLatin1String(RedisSettingsCheck::kRecommendedFile)));
    }
};

QTEST_GUILESS_MAIN(RedisSettingsCheckTest)
#include "tst_redissettingscheck.moc"
