#include "backend/retrieval/CorpusLoader.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace querydeck;

class TestCorpusLoader : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void loadsGoodFilesSorted();
    void skipsBadFiles_data();
    void skipsBadFiles();
    void htmlIsPlainText();
    void symlinkLoopTerminates();
    void missingRoot_data();
    void missingRoot();
    void bundledCorpus();

private:
    void write(const QString& rel, const QByteArray& bytes);
    const SkippedFile* skippedEntry(const QString& rel) const;

    QTemporaryDir m_dir;
    CorpusLoadResult m_result;
};

void TestCorpusLoader::write(const QString& rel, const QByteArray& bytes)
{
    const QString path = m_dir.filePath(rel);
    QVERIFY(QDir().mkpath(QFileInfo(path).path()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

const SkippedFile* TestCorpusLoader::skippedEntry(const QString& rel) const
{
    for (const auto& s : m_result.value.skipped)
        if (s.path == rel)
            return &s;
    return nullptr;
}

void TestCorpusLoader::initTestCase()
{
    QVERIFY(m_dir.isValid());
    write("b.md", "# B\n\nSecond by name.\r\n");
    write("a.txt", "First by name.");
    write("nested/deeper/c.md", "Nested document.");
    write("nested/page.html", "<html><body><h1>Page</h1><p>Tom &amp; Jerry</p>"
                              "<script>evil()</script></body></html>");
    write("UPPER.MD", "Upper-case extension.");
    write("ignored.png", QByteArray("\x89PNG\r\n\x1a\n\0\0", 10));
    write(".hidden.md", "Hidden files are ignored.");
    write("binary.txt", QByteArray("text\0more", 9));
    write("latin1.md", "caf\xe9 au lait");
    write("big.md", QByteArray(2048, 'x'));
    write("empty.md", "");
    write("blank.txt", "  \n\t\n");
    write("scriptonly.html", "<script>only()</script>");
    write("unreadable.md", "secret");
    QFile::setPermissions(m_dir.filePath("unreadable.md"), QFileDevice::WriteOwner);
    QVERIFY(QFile::link(m_dir.filePath("missing-target.md"), m_dir.filePath("dangling.md")));
    QCOMPARE(::mkfifo(QFile::encodeName(m_dir.filePath("pipe.md")).constData(), 0600), 0);
    // A loop: nested/loop -> the root.
    QVERIFY(QFile::link(m_dir.path(), m_dir.filePath("nested/loop")));
    m_result = CorpusLoader::load(m_dir.path(), 1024);
}

void TestCorpusLoader::loadsGoodFilesSorted()
{
    QVERIFY2(m_result.ok(), qPrintable(m_result.errors.join(u'\n')));
    QStringList paths;
    for (const auto& d : m_result.value.documents)
        paths << d.path;
    QStringList expected{"UPPER.MD", "a.txt", "b.md", "nested/deeper/c.md", "nested/page.html"};
    if (QFileInfo(m_dir.filePath("unreadable.md")).isReadable()) // root reads anything
        expected << "unreadable.md";
    QCOMPARE(paths, expected);
    QCOMPARE(m_result.value.documents[2].text, QStringLiteral("# B\n\nSecond by name.\n"));
    // Deterministic: a second load gives the same result.
    const auto again = CorpusLoader::load(m_dir.path(), 1024);
    QCOMPARE(again.value.documents.size(), m_result.value.documents.size());
    for (std::size_t i = 0; i < again.value.documents.size(); ++i) {
        QCOMPARE(again.value.documents[i].path, m_result.value.documents[i].path);
        QCOMPARE(again.value.documents[i].text, m_result.value.documents[i].text);
    }
    QVERIFY(!skippedEntry("ignored.png")); // unsupported extensions are not reported
    QVERIFY(!skippedEntry(".hidden.md"));
}

void TestCorpusLoader::skipsBadFiles_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reasonContains");
    QTest::newRow("binary") << "binary.txt"
                            << "NUL byte";
    QTest::newRow("invalid utf-8") << "latin1.md"
                                   << "UTF-8";
    QTest::newRow("oversized") << "big.md"
                               << "larger than the limit of 1024 bytes (2048 bytes)";
    QTest::newRow("empty") << "empty.md"
                           << "empty";
    QTest::newRow("whitespace only") << "blank.txt"
                                     << "empty";
    QTest::newRow("html without text") << "scriptonly.html"
                                       << "no text";
    QTest::newRow("broken symlink") << "dangling.md"
                                    << "broken symbolic link";
    QTest::newRow("fifo") << "pipe.md"
                          << "not a regular file";
    QTest::newRow("unreadable") << "unreadable.md"
                                << "unreadable";
}

void TestCorpusLoader::skipsBadFiles()
{
    QFETCH(QString, path);
    QFETCH(QString, reasonContains);
    if (path == "unreadable.md" && QFileInfo(m_dir.filePath(path)).isReadable())
        QSKIP("running as root: permissions do not make a file unreadable");
    const SkippedFile* s = skippedEntry(path);
    QVERIFY2(s, qPrintable(path + " was not reported as skipped"));
    QVERIFY2(s->reason.contains(reasonContains), qPrintable(s->reason));
}

void TestCorpusLoader::htmlIsPlainText()
{
    const auto it = std::find_if(m_result.value.documents.begin(), m_result.value.documents.end(),
                                 [](const auto& d) { return d.path == "nested/page.html"; });
    QVERIFY(it != m_result.value.documents.end());
    QCOMPARE(it->text, QStringLiteral("Page\n\nTom & Jerry"));
}

void TestCorpusLoader::symlinkLoopTerminates()
{
    // Reaching here proves load() returned; the loop adds no duplicate documents.
    QSet<QString> texts;
    for (const auto& d : m_result.value.documents) {
        QVERIFY2(!texts.contains(d.text), qPrintable(d.path));
        texts.insert(d.text);
    }
}

void TestCorpusLoader::missingRoot_data()
{
    QTest::addColumn<QString>("root");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("missing") << "/nonexistent/querydeck/corpus"
                             << "does not exist";
    QTest::newRow("empty path") << ""
                                << "empty";
    QTest::newRow("missing resource") << ":/no-such-corpus"
                                      << "does not exist";
    QTest::newRow("file not dir") << QStringLiteral(QUERYDECK_SOURCE_DIR "/CMakeLists.txt")
                                  << "not a directory";
}

void TestCorpusLoader::missingRoot()
{
    QFETCH(QString, root);
    QFETCH(QString, errorContains);
    const auto result = CorpusLoader::load(root, 1024);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors[0].contains(errorContains), qPrintable(result.errors[0]));
    if (!root.isEmpty())
        QVERIFY(result.errors[0].contains(root));
    QVERIFY(result.value.documents.empty());
}

void TestCorpusLoader::bundledCorpus()
{
    const auto result = CorpusLoader::load(QStringLiteral(":/corpus"), 4 * 1024 * 1024);
    QVERIFY2(result.ok(), qPrintable(result.errors.join(u'\n')));
    // The issue asks for 20 or more runbooks in the bundled corpus.
    QVERIFY2(result.value.documents.size() >= 20,
             qPrintable(QString::number(result.value.documents.size())));
    const auto drain =
        std::find_if(result.value.documents.begin(), result.value.documents.end(),
                     [](const auto& d) { return d.path == "health-readiness-and-draining.md"; });
    QVERIFY(drain != result.value.documents.end());
    QVERIFY(drain->text.contains(QStringLiteral("/admin/drain")));
    for (const auto& d : result.value.documents)
        QVERIFY2(!d.path.startsWith(u':') && !d.path.startsWith(u'/'), qPrintable(d.path));
    QVERIFY2(result.value.skipped.empty(),
             qPrintable(result.value.skipped.empty() ? QString()
                                                     : result.value.skipped.front().path + ": " +
                                                           result.value.skipped.front().reason));
}

QTEST_GUILESS_MAIN(TestCorpusLoader)
#include "tst_corpusloader.moc"
