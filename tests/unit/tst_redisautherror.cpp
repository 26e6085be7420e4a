// RedisAuthError over the password errors Redis 6/7 and the async client
// give: each says what to do and names the config field and the secret
// reference; other errors pass unchanged.
#include "backend/redis/RedisAuthError.h"

#include <QTest>

using namespace querydeck;

class RedisAuthErrorTest : public QObject
{
    Q_OBJECT

private slots:
    void explain_data()
    {
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("reference");
        QTest::addColumn<bool>("auth");
        QTest::addColumn<QString>("expected");
        const QString entry = QStringLiteral("keychain entry \"redis\"");
        QTest::newRow("NOAUTH, no password set")
            << "NOAUTH Authentication required." << QString() << true
            << "the server needs a password: store it in the keychain and set f";
        QTest::newRow("WRONGPASS (Redis 6+)")
            << "closed: AUTH at h:1 refused: WRONGPASS invalid username-password pair or user is "
               "disabled."
            << entry << true
            << "the server refused the password from keychain entry \"redis\" (f): wrong password";
        QTest::newRow("invalid password (Redis 5)")
            << "closed: AUTH at h:1 refused: ERR invalid password" << entry << true
            << "the server refused the password from keychain entry \"redis\" (f)";
        QTest::newRow("NOAUTH with a password set")
            << "NOAUTH Authentication required." << entry << true
            << "the server refused the password from keychain entry \"redis\"";
        QTest::newRow("server without password")
            << "closed: AUTH at h:1 refused: ERR AUTH <password> called without any password "
               "configured for the default user. Are you sure your configuration is correct?"
            << entry << true << "the server has no password, but f gives one";
        QTest::newRow("connection refused") << "cannot connect to h:1: Connection refused" << entry
                                            << false << "cannot connect to h:1: Connection refused";
        QTest::newRow("empty") << QString() << QString() << false << QString();
    }

    void explain()
    {
        QFETCH(QString, error);
        QFETCH(QString, reference);
        QFETCH(bool, auth);
        QFETCH(QString, expected);
        QCOMPARE(RedisAuthError::isAuthError(error), auth);
        const QString text = RedisAuthError::explain(error, QStringLiteral("f"), reference);
        QVERIFY2(text.startsWith(expected), qPrintable(text));
        if (auth)
            QVERIFY2(text.endsWith(error), "the server's own words are kept");
        else
            QCOMPARE(text, error);
    }
};

QTEST_GUILESS_MAIN(RedisAuthErrorTest)
#include "tst_redisautherror.moc"
