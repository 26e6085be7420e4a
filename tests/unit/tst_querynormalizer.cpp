#include "backend/cache/QueryNormalizer.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace querydeck;

class tst_QueryNormalizer : public QObject
{
    Q_OBJECT

private slots:
    void normalize_data();
    void normalize();
    void idempotent_data();
    void idempotent();
    void outputHasNoPunctuationOrStraySpace();
    void hostileInput();
    void keyIsLowercaseHexSha256();
    void keyIsStable();
    void keyDependsOnNamespace();
    void keyDependsOnText();
};

void tst_QueryNormalizer::normalize_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    // Empty and blank.
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("only spaces") << u"   \t\n "_qs << QString();
    QTest::newRow("only punctuation") << u"?!...,;"_qs << QString();

    // Case (ASCII fast path and the general path).
    QTest::newRow("ascii case") << u"What Is REDIS"_qs << u"what is redis"_qs;
    QTest::newRow("greek case, final sigma folds") << u"ΟΔΟΣ"_qs << u"οδοσ"_qs;
    QTest::newRow("cyrillic case") << u"ПРИВЕТ Мир"_qs << u"привет мир"_qs;
    // Simple case folding (what QString::toCaseFolded does): ß stays ß, it is
    // not expanded to "ss", so "Straße" and "STRASSE" remain different keys
    // (the semantic tier is what joins them). Capital ẞ folds to ß.
    QTest::newRow("german sharp s kept") << u"Straße"_qs << u"straße"_qs;
    QTest::newRow("german STRASSE") << u"STRASSE"_qs << u"strasse"_qs;
    QTest::newRow("german capital sharp s") << u"STRAẞE"_qs << u"straße"_qs;
    // Turkish: locale-independent folding. İ (U+0130) has no simple folding
    // and is kept as is; dotless ı is kept; ASCII I folds to i (not ı).
    QTest::newRow("turkish dotted capital I kept") << u"İstanbul"_qs << u"İstanbul"_qs;
    QTest::newRow("turkish dotless i kept") << u"ırmak"_qs << u"ırmak"_qs;
    QTest::newRow("ascii I folds to i") << u"ISTANBUL"_qs << u"istanbul"_qs;

    // NFKC.
    QTest::newRow("full-width letters") << u"Ｒｅｄｉｓ　ＴＴＬ"_qs << u"redis ttl"_qs;
    QTest::newRow("full-width digits") << u"ｐｏｒｔ ６３７９"_qs << u"port 6379"_qs;
    QTest::newRow("fi ligature") << u"ﬁle conﬁg"_qs << u"file config"_qs;
    QTest::newRow("circled digit") << u"step ①"_qs << u"step 1"_qs;
    QTest::newRow("superscript") << u"x²"_qs << u"x2"_qs;
    QTest::newRow("decomposed e acute composes") << u"cafe\u0301"_qs << u"café"_qs;
    // Removing the dot brings the combining accent next to "e": still NFKC.
    QTest::newRow("mark after removed punctuation") << u"cafe.\u0301"_qs << u"café"_qs;
    QTest::newRow("roman numeral") << u"Ⅻ"_qs << u"xii"_qs;

    // Punctuation from several scripts.
    QTest::newRow("ascii punctuation")
        << u"Hello, world! (redis) [sentinel] {x} \"q\" 'a' #1 @ops e-mail a_b a/b a\\b"_qs
        << u"hello world redis sentinel x q a 1 ops email ab ab ab"_qs;
    QTest::newRow("question and apostrophe") << u"What's the TTL?"_qs << u"whats the ttl"_qs;
    QTest::newRow("cjk punctuation") << u"缓存是什么？「语义」。"_qs << u"缓存是什么语义"_qs;
    QTest::newRow("arabic punctuation")
        << u"ما هو التخزين؟ نعم، لا"_qs << u"ما هو التخزين نعم لا"_qs;
    QTest::newRow("spanish inverted marks") << u"¿Qué es Redis?¡Ya!"_qs << u"qué es redisya"_qs;
    QTest::newRow("french guillemets") << u"« cache »"_qs << u"cache"_qs;
    QTest::newRow("typographic quotes and dashes")
        << u"“smart” ‘quotes’ — en–dash…"_qs << u"smart quotes endash"_qs;
    QTest::newRow("devanagari danda") << u"कैश क्या है।"_qs << u"कैश क्या है"_qs;
    // Symbols (S* categories) are not punctuation: C++ and C differ, $ and + stay.
    QTest::newRow("symbols kept") << u"C++ costs $5 + 3 < 9 = x^2 | ~y"_qs
                                  << u"c++ costs $5 + 3 < 9 = x^2 | ~y"_qs;

    // Letters and digits of other scripts.
    QTest::newRow("japanese mixed") << u"Redisの設定は？"_qs << u"redisの設定は"_qs;
    QTest::newRow("arabic-indic digits") << u"٣ خوادم"_qs << u"٣ خوادم"_qs;

    // Whitespace kinds.
    QTest::newRow("tabs newlines")
        << u"\tredis\n\nsentinel\r\nfailover\t"_qs << u"redis sentinel failover"_qs;
    QTest::newRow("nbsp") << u"redis\u00A0\u00A0cache"_qs << u"redis cache"_qs;
    QTest::newRow("em space and ideographic space") << u"a\u2003b\u3000c"_qs << u"a b c"_qs;
    QTest::newRow("line and paragraph separators") << u"a\u2028b\u2029c"_qs << u"a b c"_qs;
    QTest::newRow("vertical tab form feed nel") << u"a\vb\fc\u0085d"_qs << u"a b c d"_qs;
    QTest::newRow("punctuation between spaces collapses") << u"a - b"_qs << u"a b"_qs;
    QTest::newRow("control characters separate words")
        << u"what\u0001is\u007Fit"_qs << u"what is it"_qs;

    // Emoji (So) are kept, including surrogate pairs and ZWJ sequences.
    QTest::newRow("emoji") << u"Cache 🚀 fast?"_qs << u"cache 🚀 fast"_qs;
    QTest::newRow("emoji zwj sequence") << u"👩‍💻 dev"_qs << u"👩‍💻 dev"_qs;
    QTest::newRow("emoji only") << u"🔥"_qs << u"🔥"_qs;
}

void tst_QueryNormalizer::normalize()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const QString actual = QueryNormalizer::normalize(input);
    QVERIFY2(actual == expected,
             qPrintable(QStringLiteral("normalize(\"%1\") gave \"%2\", want \"%3\"")
                            .arg(input, actual, expected)));
}

void tst_QueryNormalizer::idempotent_data()
{
    normalize_data();
}

void tst_QueryNormalizer::idempotent()
{
    QFETCH(QString, input);
    const QString once = QueryNormalizer::normalize(input);
    QCOMPARE(QueryNormalizer::normalize(once), once);
}

void tst_QueryNormalizer::outputHasNoPunctuationOrStraySpace()
{
    // Every BMP code point through the general path (mixed with a non-ASCII
    // letter so the fast path is not taken) and the ASCII fast path.
    for (char32_t c = 1; c < 0x10000; ++c) {
        if (QChar::isSurrogate(c))
            continue;
        const QString input = u"é "_qs + QString(QChar(char16_t(c))) + u" x"_qs;
        const QString out = QueryNormalizer::normalize(input);
        QVERIFY2(
            !out.startsWith(u' ') && !out.endsWith(u' ') && !out.contains(u"  "_qs),
            qPrintable(QStringLiteral("stray space for U+%1").arg(uint(c), 4, 16, QChar(u'0'))));
        for (QChar ch : out) {
            const auto cat = ch.category();
            QVERIFY2(
                cat < QChar::Punctuation_Connector || cat > QChar::Punctuation_Other,
                qPrintable(
                    QStringLiteral("punctuation left for U+%1").arg(uint(c), 4, 16, QChar(u'0'))));
            QVERIFY2(
                ch == u' ' || !ch.isSpace(),
                qPrintable(
                    QStringLiteral("whitespace left for U+%1").arg(uint(c), 4, 16, QChar(u'0'))));
        }
    }
}

void tst_QueryNormalizer::hostileInput()
{
    // Lone surrogates and a huge input must not crash and must stay bounded.
    const QString lone = QString(QChar(char16_t(0xD800))) + u"abc"_qs + QChar(char16_t(0xDC00));
    QVERIFY(QueryNormalizer::normalize(lone).contains(u"abc"_qs));
    QVERIFY(!QueryNormalizer::key(QueryNormalizer::normalize(lone), "ns").isEmpty());

    QString big;
    for (int i = 0; i < 20000; ++i)
        big += u"Ｗord, "_qs;
    const QString out = QueryNormalizer::normalize(big);
    QCOMPARE(out.size(), 20000 * 5 - 1);
    QVERIFY(out.startsWith(u"word word"_qs));

    const QString nul = QString(u"a\0b"_qs);
    QCOMPARE(QueryNormalizer::normalize(nul), u"a b"_qs);
}

void tst_QueryNormalizer::keyIsLowercaseHexSha256()
{
    const QByteArray key = QueryNormalizer::key(u"what is redis"_qs, "corpus-1");
    QCOMPARE(key.size(), 64);
    QVERIFY2(QRegularExpression(u"^[0-9a-f]{64}$"_qs).match(QString::fromLatin1(key)).hasMatch(),
             key.constData());
    // The documented formula, computed independently.
    const QByteArray expected =
        QCryptographicHash::hash("corpus-1\nwhat is redis", QCryptographicHash::Sha256).toHex();
    QCOMPARE(key, expected);
    // UTF-8 of the text, not UTF-16 or Latin-1.
    QCOMPARE(QueryNormalizer::key(u"café 🚀"_qs, "n"),
             QCryptographicHash::hash(QByteArray("n\n") + u"café 🚀"_qs.toUtf8(),
                                      QCryptographicHash::Sha256)
                 .toHex());
    // Known vector: sha256("\n") — empty tag and empty text.
    QCOMPARE(QueryNormalizer::key(QString(), QByteArray()),
             QByteArray("01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b"));
}

void tst_QueryNormalizer::keyIsStable()
{
    // Different spellings of one question share a key; repeated calls (same
    // thread-local hasher) give the same answer.
    const QByteArray a =
        QueryNormalizer::key(QueryNormalizer::normalize(u"What is Redis?"_qs), "ns");
    const QByteArray b =
        QueryNormalizer::key(QueryNormalizer::normalize(u"  what   is ｒｅｄｉｓ "_qs), "ns");
    QCOMPARE(a, b);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(QueryNormalizer::key(u"what is redis"_qs, "ns"), a);
}

void tst_QueryNormalizer::keyDependsOnNamespace()
{
    const QString q = u"what is redis"_qs;
    QSet<QByteArray> keys;
    for (const QByteArray& ns : {QByteArray(), QByteArray("a"), QByteArray("b"), QByteArray("ab")})
        keys.insert(QueryNormalizer::key(q, ns));
    QCOMPARE(keys.size(), 4);
    // The separator stops "tag" + "text" ambiguity.
    QVERIFY(QueryNormalizer::key(u"b c"_qs, "a") != QueryNormalizer::key(u"c"_qs, "a\nb "));
    QVERIFY(QueryNormalizer::key(u"xy"_qs, "a") != QueryNormalizer::key(u"y"_qs, "ax"));
}

void tst_QueryNormalizer::keyDependsOnText()
{
    QVERIFY(QueryNormalizer::key(u"c++"_qs, "n") != QueryNormalizer::key(u"c"_qs, "n"));
    QVERIFY(QueryNormalizer::key(u"straße"_qs, "n") != QueryNormalizer::key(u"strasse"_qs, "n"));
}

QTEST_GUILESS_MAIN(tst_QueryNormalizer)
#include "tst_querynormalizer.moc"
