#include "backend/retrieval/Chunker.h"

#include <QTest>

using namespace querydeck;

class TestChunker : public QObject
{
    Q_OBJECT

private slots:
    void invariants_data();
    void invariants();
    void prefersParagraphBoundary();
    void prefersSentenceBoundary();
    void overlapRepeatsText();
    void hugeWordIsCut();
    void emptyAndWhitespace();
    void surrogatePairsNotSplit();
};

namespace {

QString words(int count)
{
    QStringList out;
    for (int i = 0; i < count; ++i)
        out << QStringLiteral("word%1").arg(i);
    return out.join(u' ');
}

QString prose(int sentences)
{
    QStringList out;
    for (int i = 0; i < sentences; ++i) {
        out << QStringLiteral("Sentence %1 talks about replicas and caches.").arg(i);
        if (i % 4 == 3)
            out << QStringLiteral("\n\n");
    }
    return out.join(u' ');
}

} // namespace

void TestChunker::invariants_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("overlap");

    QTest::newRow("tiny doc") << "Hello." << 800 << 160;
    QTest::newRow("prose default") << prose(60) << 800 << 160;
    QTest::newRow("prose no overlap") << prose(60) << 300 << 0;
    QTest::newRow("overlap equals size") << prose(30) << 200 << 200;
    QTest::newRow("overlap beyond size") << prose(30) << 200 << 5000;
    QTest::newRow("negative overlap") << prose(30) << 200 << -5;
    QTest::newRow("size below minimum") << prose(5) << 1 << 0;
    QTest::newRow("zero size") << words(50) << 0 << 10;
    QTest::newRow("words only") << words(400) << 100 << 30;
    QTest::newRow("huge single word") << QString(5000, u'x') << 300 << 50;
    QTest::newRow("leading and trailing space") << "\n\n   " + prose(20) + "   \n" << 250 << 40;
    QTest::newRow("crlf and tabs") << prose(10).replace(u' ', u'\t') << 120 << 20;
}

void TestChunker::invariants()
{
    QFETCH(QString, text);
    QFETCH(int, size);
    QFETCH(int, overlap);
    const CorpusDocument doc{QStringLiteral("dir/doc.md"), text};
    const auto chunks = Chunker::split(doc, size, overlap);
    const int effectiveSize = std::max(size, Chunker::kMinChunkChars);

    QVERIFY(!chunks.empty());
    QVector<bool> covered(text.size(), false);
    qsizetype lastOffset = -1;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        const Chunk& c = chunks[i];
        QCOMPARE(c.document, doc.path);
        QCOMPARE(c.index, int(i));
        QVERIFY(!c.text.trimmed().isEmpty());
        QCOMPARE(c.text, c.text.trimmed());
        QVERIFY2(c.text.size() <= effectiveSize, qPrintable(QString::number(c.text.size())));
        QVERIFY(c.offset > lastOffset); // progress
        lastOffset = c.offset;
        // The offset reconstructs the chunk from the document.
        QCOMPARE(text.mid(c.offset, c.text.size()), c.text);
        for (qsizetype k = c.offset; k < c.offset + c.text.size(); ++k)
            covered[k] = true;
    }
    // Every non-space character lands in some chunk.
    for (qsizetype k = 0; k < text.size(); ++k) {
        if (!text[k].isSpace())
            QVERIFY2(covered[k], qPrintable(QStringLiteral("character %1 lost").arg(k)));
    }
}

void TestChunker::prefersParagraphBoundary()
{
    const QString first = QStringLiteral("First paragraph is here. It has two sentences.");
    const QString second = QStringLiteral("Second paragraph follows with more words in it.");
    const CorpusDocument doc{QStringLiteral("p.md"), first + QStringLiteral("\n\n") + second};
    const auto chunks = Chunker::split(doc, 70, 0);
    QCOMPARE(chunks.size(), std::size_t(2));
    QCOMPARE(chunks[0].text, first);
    QCOMPARE(chunks[1].text, second);
}

void TestChunker::prefersSentenceBoundary()
{
    const CorpusDocument doc{QStringLiteral("s.md"),
                             QStringLiteral("Alpha beta gamma delta. Epsilon zeta eta theta iota "
                                            "kappa lambda mu nu xi omicron pi.")};
    const auto chunks = Chunker::split(doc, 40, 0);
    QVERIFY(chunks.size() >= 2);
    QCOMPARE(chunks[0].text, QStringLiteral("Alpha beta gamma delta."));
    for (const auto& c : chunks) { // no chunk starts or ends mid-word
        const qsizetype end = c.offset + c.text.size();
        QVERIFY2(c.offset == 0 || doc.text[c.offset - 1].isSpace(), qPrintable(c.text));
        QVERIFY2(end == doc.text.size() || doc.text[end].isSpace(), qPrintable(c.text));
    }
}

void TestChunker::overlapRepeatsText()
{
    const CorpusDocument doc{QStringLiteral("o.md"), words(200)};
    const auto chunks = Chunker::split(doc, 100, 30);
    QVERIFY(chunks.size() > 5);
    for (std::size_t i = 1; i < chunks.size(); ++i) {
        const qsizetype previousEnd = chunks[i - 1].offset + chunks[i - 1].text.size();
        // Starts before the previous chunk ended, by at most the overlap, on a word start.
        QVERIFY(chunks[i].offset < previousEnd);
        QVERIFY(previousEnd - chunks[i].offset <= 30);
        QVERIFY(chunks[i].text.startsWith(QStringLiteral("word")));
    }
}

void TestChunker::hugeWordIsCut()
{
    const QString word(1000, u'z');
    const CorpusDocument doc{QStringLiteral("w.txt"), QStringLiteral("short ") + word + " end"};
    const auto chunks = Chunker::split(doc, 100, 20);
    QVERIFY(chunks.size() >= 10);
    for (const auto& c : chunks)
        QVERIFY(c.text.size() <= 100);
    QCOMPARE(chunks.back().text.right(3), QStringLiteral("end"));
}

void TestChunker::emptyAndWhitespace()
{
    QVERIFY(Chunker::split({QStringLiteral("e.md"), QString()}, 800, 160).empty());
    QVERIFY(Chunker::split({QStringLiteral("e.md"), QStringLiteral(" \n\t\n ")}, 800, 160).empty());
    const auto one = Chunker::split({QStringLiteral("e.md"), QStringLiteral("  x  ")}, 800, 160);
    QCOMPARE(one.size(), std::size_t(1));
    QCOMPARE(one[0].text, QStringLiteral("x"));
    QCOMPARE(one[0].offset, qsizetype(2));
}

void TestChunker::surrogatePairsNotSplit()
{
    QString emoji;
    for (int i = 0; i < 200; ++i)
        emoji += QString::fromUtf8("\xF0\x9F\x98\x80");
    const auto chunks = Chunker::split({QStringLiteral("u.md"), emoji}, 33, 5);
    QVERIFY(chunks.size() > 1);
    for (const auto& c : chunks) {
        QVERIFY(!c.text.front().isLowSurrogate());
        QVERIFY(!c.text.back().isHighSurrogate());
    }
}

QTEST_GUILESS_MAIN(TestChunker)
#include "tst_chunker.moc"
