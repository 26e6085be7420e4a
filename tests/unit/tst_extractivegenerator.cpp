#include "backend/retrieval/ExtractiveGenerator.h"

#include <QTest>

using namespace querydeck;

Q_DECLARE_METATYPE(querydeck::RetrievedChunks)

namespace {

RetrievedChunk chunk(const QString& document, const QString& text, float score,
                     qsizetype offset = 0)
{
    return {Chunk{document, 0, offset, text}, score};
}

const QString kDraining =
    QStringLiteral("# Draining a replica\n\n"
                   "Draining takes a replica out of rotation without dropping queries. "
                   "To drain a replica, send `POST /admin/drain` with the **admin token**. "
                   "The replica then reports not ready, so nginx stops sending it traffic.\n\n"
                   "- In-flight requests finish within the drain timeout.\n"
                   "- New queries get 503 with Retry-After.\n");

const QString kScaling = QStringLiteral("## Scaling out\n\n"
                                        "Open the [Scale wizard](wizards.md) to add a replica. "
                                        "The wizard checks free CPU before it acts.\n\n"
                                        "```\nquerydeck serve --port 8001\n```\n");

} // namespace

class TestExtractiveGenerator : public QObject
{
    Q_OBJECT

private slots:
    void answers_data();
    void answers();
    void respectsMaxSentences_data();
    void respectsMaxSentences();
    void deterministic();
    void nameAndModel();
};

void TestExtractiveGenerator::answers_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<RetrievedChunks>("chunks");
    QTest::addColumn<QStringList>("mustContain");
    QTest::addColumn<QStringList>("mustNotContain");

    const QString label = ExtractiveGenerator::disclaimer();
    QTest::newRow("no chunks") << "How do I drain a replica?" << RetrievedChunks{}
                               << QStringList{"could not find anything relevant"}
                               << QStringList{"[1]", "Sources:"};
    QTest::newRow("nothing shared with the query")
        << "What is the weather in Paris?" << RetrievedChunks{chunk("draining.md", kDraining, 0.2f)}
        << QStringList{"could not find anything relevant"} << QStringList{"[1]"};
    QTest::newRow("best sentence, cited, labelled")
        << "How do I drain a replica?"
        << RetrievedChunks{chunk("draining.md", kDraining, 0.8f),
                           chunk("scaling-out.md", kScaling, 0.3f)}
        << QStringList{"To drain a replica, send POST /admin/drain with the admin token. [1]",
                       "Sources:\n[1] draining.md", label}
        << QStringList{"`", "**", "# ", "- In-flight"};
    QTest::newRow("markdown links and fences stripped")
        << "How do I add a replica with the scale wizard?"
        << RetrievedChunks{chunk("scaling-out.md", kScaling, 0.9f)}
        << QStringList{"Open the Scale wizard to add a replica. [1]", "[1] scaling-out.md"}
        << QStringList{"](", "```", "##"};
    QTest::newRow("two sources numbered by relevance")
        << "drain replica scale wizard"
        << RetrievedChunks{chunk("scaling-out.md", kScaling, 0.9f),
                           chunk("draining.md", kDraining, 0.85f)}
        << QStringList{"[1] scaling-out.md\n[2] draining.md", "[2]"} << QStringList{};
    QTest::newRow("list items are sentences")
        << "What happens to in-flight requests during drain timeout?"
        << RetrievedChunks{chunk("draining.md", kDraining, 0.7f)}
        << QStringList{"In-flight requests finish within the drain timeout. [1]"}
        << QStringList{"- In-flight"};
    QTest::newRow("overlapping chunks do not repeat a sentence")
        << "drain replica admin token"
        << RetrievedChunks{chunk("draining.md", kDraining, 0.8f),
                           chunk("draining.md", kDraining.mid(kDraining.indexOf("To drain")), 0.79f,
                                 kDraining.indexOf("To drain"))}
        << QStringList{"Sources:\n[1] draining.md\n\n"} << QStringList{"[2]"};
    QTest::newRow("fragment at chunk start skipped")
        << "replica traffic"
        << RetrievedChunks{chunk("d.md",
                                 "out of rotation and replica traffic moves. The replica "
                                 "traffic is shifted to the others.",
                                 0.6f, 120)}
        << QStringList{"The replica traffic is shifted to the others. [1]"}
        << QStringList{"out of rotation"};
    QTest::newRow("chunk starting inside a code block")
        << "What does a 429 mean?"
        << RetrievedChunks{chunk("api.md",
                                 "\"replica\": \"api-1\"}\n```\n\n## What a 429 means\n\n"
                                 "- A 429 means a client exceeded its own bucket.\n",
                                 0.6f, 300)}
        << QStringList{"A 429 means a client exceeded its own bucket. [1]"}
        << QStringList{"##", "- A 429", "api-1"};
}

void TestExtractiveGenerator::answers()
{
    QFETCH(QString, query);
    QFETCH(RetrievedChunks, chunks);
    QFETCH(QStringList, mustContain);
    QFETCH(QStringList, mustNotContain);
    ExtractiveGenerator generator;
    const auto result = generator.generate({query, chunks});
    QVERIFY2(result.ok(), qPrintable(result.error));
    for (const QString& s : mustContain)
        QVERIFY2(result.answer.contains(s),
                 qPrintable("missing \"" + s + "\" in:\n" + result.answer));
    for (const QString& s : mustNotContain)
        QVERIFY2(!result.answer.contains(s),
                 qPrintable("unexpected \"" + s + "\" in:\n" + result.answer));
    // A quoted answer always ends with the honest label.
    if (!result.answer.startsWith(QStringLiteral("I could not find")))
        QVERIFY(result.answer.endsWith(ExtractiveGenerator::disclaimer()));
    qInfo("%s", qPrintable(result.answer));
}

void TestExtractiveGenerator::respectsMaxSentences_data()
{
    QTest::addColumn<int>("maxSentences");
    QTest::addColumn<int>("expected");
    QTest::newRow("zero clamps to one") << 0 << 1;
    QTest::newRow("one") << 1 << 1;
    QTest::newRow("three") << 3 << 3;
    QTest::newRow("more than available") << 50 << 5;
}

void TestExtractiveGenerator::respectsMaxSentences()
{
    QFETCH(int, maxSentences);
    QFETCH(int, expected);
    ExtractiveGenerator generator(maxSentences);
    const auto result =
        generator.generate({QStringLiteral("replica drain token traffic queries requests"),
                            RetrievedChunks{chunk("draining.md", kDraining, 0.8f)}});
    QVERIFY(result.ok());
    const QString body = result.answer.section(QStringLiteral("\n\nSources:"), 0, 0);
    QCOMPARE(int(body.count(QStringLiteral("[1]"))), expected);
}

void TestExtractiveGenerator::deterministic()
{
    ExtractiveGenerator a;
    ExtractiveGenerator b;
    const GenerationRequest request{QStringLiteral("How do I drain a replica?"),
                                    RetrievedChunks{chunk("draining.md", kDraining, 0.8f),
                                                    chunk("scaling-out.md", kScaling, 0.8f)}};
    const auto first = a.generate(request);
    QCOMPARE(b.generate(request).answer, first.answer);
    QCOMPARE(a.generate(request).answer, first.answer);
}

void TestExtractiveGenerator::nameAndModel()
{
    ExtractiveGenerator generator;
    QCOMPARE(generator.name(), QStringLiteral("extractive"));
    QCOMPARE(generator.generate({QStringLiteral("x"), {}}).model, QStringLiteral("extractive"));
}

QTEST_GUILESS_MAIN(TestExtractiveGenerator)
#include "tst_extractivegenerator.moc"
