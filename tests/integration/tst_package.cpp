// The Debian package as a user gets it: cpack builds it from this build tree,
// dpkg-deb unpacks it into an empty folder, and there the program runs
// (`--version`; `serve` answers /health and a query), the desktop entry and
// the AppStream metainfo pass their validators, the icons, man page and
// sample config are in place, and Depends covers every library the binary
// links. Needs cpack, dpkg-deb, dpkg-shlibdeps, readelf, desktop-file-validate
// and appstreamcli (packaging/debian-packages.txt).
#include "ProgramRun.h"
#include "RawHttp.h"
#include "ServeProcess.h"
#include "backend/common/Version.h"
#include "backend/config/ConfigLoader.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using querydeck::test::ProgramRun;
using querydeck::test::RawHttp;
using querydeck::test::runProgram;
using querydeck::test::ServeProcess;

namespace {

const QString kAppId = QStringLiteral("io.querydeck.QueryDeck");
const int kIconSizes[] = {16, 22, 24, 32, 48, 64, 128, 256};

// Files that other parts of the project add under packaging/ and where the
// package must carry them: {source folder, name patterns, installed folder}.
struct GlobbedFolder
{
    const char* source;
    QStringList patterns;
    const char* installed;
};
const GlobbedFolder kGlobbedFolders[] = {
    {"systemd",
     {QStringLiteral("*.service"), QStringLiteral("*.socket"), QStringLiteral("*.timer"),
      QStringLiteral("*.target")},
     "/usr/lib/systemd/system"},
    {"nginx", {QStringLiteral("*")}, "/usr/share/querydeck/nginx"},
    {"kubernetes",
     {QStringLiteral("*.yaml"), QStringLiteral("*.yml")},
     "/usr/share/querydeck/kubernetes"},
    {"redis", {QStringLiteral("*.conf")}, "/usr/share/querydeck/redis"},
};

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Package names in a Depends-style field: "a (>= 1), b | c" -> {a, b, c}.
QSet<QString> packageNames(const QString& field)
{
    QSet<QString> names;
    for (const QString& alternatives : field.split(QLatin1Char(',')))
        for (const QString& entry : alternatives.split(QLatin1Char('|')))
            if (const QString name = entry.trimmed().section(QLatin1Char(' '), 0, 0);
                !name.isEmpty())
                names.insert(name);
    return names;
}

// The same path with and without the merged-/usr prefix, since dpkg knows
// each library under only one of the two.
QStringList usrMergeVariants(const QString& path)
{
    if (path.startsWith(QLatin1String("/usr/")))
        return {path, path.mid(4)};
    return {path, QStringLiteral("/usr") + path};
}

} // namespace

class PackageTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_work;
    QString m_deb;
    QString m_root;

    QString rooted(const QString& path) const { return m_root + path; }
    QString binary() const { return rooted(QStringLiteral("/usr/bin/querydeck")); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        const QString out = m_work.filePath(QStringLiteral("out"));
        const ProgramRun cpack = runProgram(
            QStringLiteral("cpack"),
            {QStringLiteral("--config"), QStringLiteral(QUERYDECK_BINARY_DIR "/CPackConfig.cmake"),
             QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-B"), out},
            {}, 240000);
        QVERIFY2(cpack.exitCode == 0, qPrintable(cpack.describe()));
        const QStringList debs = QDir(out).entryList({QStringLiteral("*.deb")}, QDir::Files);
        QVERIFY2(debs.size() == 1, qPrintable(debs.join(QLatin1Char(' ')) + cpack.describe()));
        m_deb = out + QLatin1Char('/') + debs.first();

        m_root = m_work.filePath(QStringLiteral("root"));
        QVERIFY(QDir().mkpath(m_root));
        const ProgramRun unpack =
            runProgram(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), m_deb, m_root});
        QVERIFY2(unpack.exitCode == 0, qPrintable(unpack.describe()));
    }

    void controlFields()
    {
        const ProgramRun fields =
            runProgram(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_deb});
        QVERIFY2(fields.exitCode == 0, qPrintable(fields.describe()));
        QMap<QString, QString> control;
        for (const QByteArray& line : fields.out.split('\n'))
            if (const qsizetype colon = line.indexOf(':'); colon > 0 && line.at(0) != ' ')
                control.insert(QString::fromUtf8(line.left(colon)),
                               QString::fromUtf8(line.mid(colon + 1)).trimmed());
        QCOMPARE(control.value(QStringLiteral("Package")), QStringLiteral("querydeck"));
        QCOMPARE(control.value(QStringLiteral("Version")),
                 QString::fromLatin1(querydeck::kVersion));
        const ProgramRun arch =
            runProgram(QStringLiteral("dpkg"), {QStringLiteral("--print-architecture")});
        QCOMPARE(control.value(QStringLiteral("Architecture")),
                 QString::fromUtf8(arch.out.trimmed()));
        QVERIFY(!control.value(QStringLiteral("Maintainer")).isEmpty());
        QVERIFY(!control.value(QStringLiteral("Description")).isEmpty());

        const QSet<QString> recommends = packageNames(control.value(QStringLiteral("Recommends")));
        for (const char* name : {"redis-server", "redis-sentinel", "nginx", "prometheus"})
            QVERIFY2(recommends.contains(QLatin1String(name)), name);
        const QSet<QString> depends = packageNames(control.value(QStringLiteral("Depends")));
        for (const char* name : {"libc6", "libqt6core6", "libqt6widgets6"})
            QVERIFY2(depends.contains(QLatin1String(name)),
                     qPrintable(
                         QStringLiteral("Depends lacks %1: %2")
                             .arg(QLatin1String(name), control.value(QStringLiteral("Depends")))));
    }

    // Every library the binary names (DT_NEEDED) resolves on this system to
    // a file of a package that Depends lists.
    void dependsCoverEveryLinkedLibrary()
    {
        const ProgramRun dynamic =
            runProgram(QStringLiteral("readelf"), {QStringLiteral("-d"), binary()});
        QVERIFY2(dynamic.exitCode == 0, qPrintable(dynamic.describe()));
        static const QRegularExpression neededLine(
            QStringLiteral("\\(NEEDED\\)\\s+Shared library: \\[([^\\]]+)\\]"));
        QStringList needed;
        for (const auto& match : neededLine.globalMatch(QString::fromUtf8(dynamic.out)))
            needed << match.captured(1);
        QVERIFY2(needed.size() >= 5, dynamic.out.constData());
        QVERIFY2(!dynamic.out.contains("RPATH") && !dynamic.out.contains("RUNPATH"),
                 "the packaged binary needs no library search path: our libraries are static");

        const ProgramRun ldd = runProgram(QStringLiteral("ldd"), {binary()});
        QVERIFY2(ldd.exitCode == 0 && !ldd.out.contains("not found"), qPrintable(ldd.describe()));
        static const QRegularExpression lddLine(QStringLiteral("^\\s*(\\S+) => (\\S+)"),
                                                QRegularExpression::MultilineOption);
        // The dynamic loader itself is listed by path alone: "\t/lib64/ld-linux-x86-64.so.2 (0x…)".
        static const QRegularExpression loaderLine(QStringLiteral("^\\s*(/\\S+) \\(0x"),
                                                   QRegularExpression::MultilineOption);
        QMap<QString, QString> resolved;
        for (const auto& match : lddLine.globalMatch(QString::fromUtf8(ldd.out)))
            resolved.insert(match.captured(1), match.captured(2));
        for (const auto& match : loaderLine.globalMatch(QString::fromUtf8(ldd.out)))
            resolved.insert(QFileInfo(match.captured(1)).fileName(), match.captured(1));

        QMap<QString, QStringList> candidates; // soname -> paths dpkg might know it by
        QStringList allCandidates;
        for (const QString& soname : std::as_const(needed)) {
            const QString path = resolved.value(soname);
            QVERIFY2(!path.isEmpty(), qPrintable(soname + QLatin1String(" not resolved by ldd")));
            QStringList paths = usrMergeVariants(path);
            paths += usrMergeVariants(QFileInfo(path).canonicalFilePath());
            paths.removeDuplicates();
            candidates.insert(soname, paths);
            allCandidates += paths;
        }
        // dpkg -S exits 1 when some candidates are unknown; the known ones are printed.
        const ProgramRun owners =
            runProgram(QStringLiteral("dpkg"), QStringList{QStringLiteral("-S")} + allCandidates);
        QMap<QString, QString> ownerOf; // path -> package
        for (const QByteArray& line : owners.out.split('\n')) {
            const qsizetype sep = line.indexOf(": ");
            if (sep > 0)
                ownerOf.insert(QString::fromUtf8(line.mid(sep + 2)),
                               QString::fromUtf8(line.left(sep)).section(QLatin1Char(':'), 0, 0));
        }

        // A shlibs file may name a virtual package that the owner provides
        // (libspdlog1.10 provides libspdlog1.10-fmt9).
        const QStringList ownerPackages = QSet<QString>(ownerOf.cbegin(), ownerOf.cend()).values();
        const ProgramRun provides = runProgram(
            QStringLiteral("dpkg-query"),
            QStringList{QStringLiteral("-W"), QStringLiteral("-f=${Package}\t${Provides}\n")} +
                ownerPackages);
        QVERIFY2(provides.exitCode == 0, qPrintable(provides.describe()));
        QMap<QString, QSet<QString>> namesOf; // package -> itself and what it provides
        for (const QByteArray& line : provides.out.split('\n')) {
            const QList<QByteArray> parts = line.split('\t');
            if (parts.size() == 2)
                namesOf[QString::fromUtf8(parts[0])] =
                    packageNames(QString::fromUtf8(parts[1])).unite({QString::fromUtf8(parts[0])});
        }

        const ProgramRun fields = runProgram(
            QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_deb, QStringLiteral("Depends")});
        const QSet<QString> depends = packageNames(QString::fromUtf8(fields.out));
        for (const QString& soname : std::as_const(needed)) {
            QString package;
            for (const QString& path : candidates.value(soname))
                if (ownerOf.contains(path)) {
                    package = ownerOf.value(path);
                    break;
                }
            QVERIFY2(!package.isEmpty(),
                     qPrintable(QStringLiteral("no Debian package owns %1 (%2)")
                                    .arg(soname, candidates.value(soname).join(QLatin1Char(' ')))));
            QVERIFY2(depends.intersects(namesOf.value(package)),
                     qPrintable(QStringLiteral("%1 comes from %2, which Depends does not list: %3")
                                    .arg(soname, package, QString::fromUtf8(fields.out))));
        }
    }

    void binaryIsStripped()
    {
        const ProgramRun sections =
            runProgram(QStringLiteral("readelf"), {QStringLiteral("-S"), binary()});
        QVERIFY2(sections.exitCode == 0, qPrintable(sections.describe()));
        QVERIFY2(!sections.out.contains(".debug_info"), "debug info left in the packaged binary");
    }

    void versionRunsFromThePackage()
    {
        const ProgramRun version = runProgram(binary(), {QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out, QByteArray("querydeck ") + querydeck::kVersion + '\n');
    }

    void serveRunsFromThePackage()
    {
        ServeProcess serve(binary());
        const QString error = serve.start(
            {}, {QStringLiteral("XDG_CACHE_HOME=") + m_work.filePath(QStringLiteral("cache"))},
            true, 60000);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto health = RawHttp::get(serve.port(), "/health");
        QCOMPARE(health.status, 200);
        QVERIFY2(health.body.contains("\"ok\""), health.body.constData());
        const auto answer = RawHttp::postJson(serve.port(), "/v1/query",
                                              R"({"query":"How do I drain a replica?"})");
        QCOMPARE(answer.status, 200);
        QVERIFY2(answer.body.contains("\"answer\""), answer.body.constData());
        QCOMPARE(serve.terminate(), 0);
    }

    void desktopEntryValidates()
    {
        const QString entry =
            rooted(QStringLiteral("/usr/share/applications/%1.desktop").arg(kAppId));
        const ProgramRun validate = runProgram(QStringLiteral("desktop-file-validate"), {entry});
        QVERIFY2(validate.exitCode == 0 && validate.out.isEmpty() && validate.err.isEmpty(),
                 qPrintable(validate.describe()));
        const QByteArray text = readFile(entry);
        QVERIFY(text.contains("\nExec=querydeck\n"));
        QVERIFY(text.contains("\nIcon=" + kAppId.toUtf8() + '\n'));
    }

    void metainfoValidates()
    {
        const QString metainfo =
            rooted(QStringLiteral("/usr/share/metainfo/%1.metainfo.xml").arg(kAppId));
        const ProgramRun validate =
            runProgram(QStringLiteral("appstreamcli"),
                       {QStringLiteral("validate"), QStringLiteral("--no-net"), metainfo});
        QVERIFY2(validate.exitCode == 0, qPrintable(validate.describe()));

        const QString text = QString::fromUtf8(readFile(metainfo));
        QVERIFY(text.contains(
            QStringLiteral("<launchable type=\"desktop-id\">%1.desktop</launchable>").arg(kAppId)));
        static const QRegularExpression release(QStringLiteral("<release version=\"([^\"]+)\""));
        QCOMPARE(release.match(text).captured(1), QString::fromLatin1(querydeck::kVersion));

        // Each screenshot is one the script made, at the size it declares.
        static const QRegularExpression image(QStringLiteral(
            "<image type=\"source\" width=\"(\\d+)\" height=\"(\\d+)\">[^<]*/([^/<]+)</image>"));
        int screenshots = 0;
        for (const auto& match : image.globalMatch(text)) {
            const QImage shot(QStringLiteral(QUERYDECK_SOURCE_DIR "/docs/screenshots/") +
                              match.captured(3));
            QVERIFY2(!shot.isNull(), qPrintable(match.captured(3)));
            QCOMPARE(shot.size(), QSize(match.captured(1).toInt(), match.captured(2).toInt()));
            ++screenshots;
        }
        QVERIFY(screenshots >= 1);
    }

    void iconsAtEverySize_data()
    {
        QTest::addColumn<int>("size");
        for (const int size : kIconSizes)
            QTest::addRow("%dx%d", size, size) << size;
    }

    void iconsAtEverySize()
    {
        QFETCH(int, size);
        const QImage icon(rooted(
            QStringLiteral("/usr/share/icons/hicolor/%1x%1/apps/%2.png").arg(size).arg(kAppId)));
        QCOMPARE(icon.size(), QSize(size, size));
        // Drawn, not blank: opaque in the middle, transparent in the corner.
        QCOMPARE(qAlpha(icon.pixel(size / 2, size / 2)), 255);
        QCOMPARE(qAlpha(icon.pixel(0, 0)), 0);
    }

    void manPageIsTheSourcePage()
    {
        const QString page = rooted(QStringLiteral("/usr/share/man/man1/querydeck.1.gz"));
        QVERIFY(readFile(page).startsWith("\x1f\x8b"));
        const ProgramRun unzip = runProgram(QStringLiteral("gzip"), {QStringLiteral("-dc"), page});
        QCOMPARE(unzip.exitCode, 0);
        QCOMPARE(unzip.out,
                 readFile(QStringLiteral(QUERYDECK_SOURCE_DIR "/packaging/querydeck.1")));
    }

    void sampleConfigIsValid()
    {
        const querydeck::ConfigLoadResult loaded = querydeck::ConfigLoader::loadFile(
            rooted(QStringLiteral("/usr/share/querydeck/querydeck.sample.json")));
        QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join(QLatin1Char('\n'))));
        QVERIFY2(loaded.warnings.isEmpty(), qPrintable(loaded.warnings.join(QLatin1Char('\n'))));
    }

    // Exactly the install layout: nothing missing (including every file the
    // globbed packaging folders hold today), nothing stray (tests, headers).
    void packageHoldsExactlyTheInstallLayout()
    {
        QSet<QString> expected{
            QStringLiteral("/usr/bin/querydeck"),
            QStringLiteral("/usr/share/applications/%1.desktop").arg(kAppId),
            QStringLiteral("/usr/share/metainfo/%1.metainfo.xml").arg(kAppId),
            QStringLiteral("/usr/share/icons/hicolor/scalable/apps/%1.svg").arg(kAppId),
            QStringLiteral("/usr/share/man/man1/querydeck.1.gz"),
            QStringLiteral("/usr/share/querydeck/querydeck.sample.json"),
        };
        for (const int size : kIconSizes)
            expected.insert(
                QStringLiteral("/usr/share/icons/hicolor/%1x%1/apps/%2.png").arg(size).arg(kAppId));
        for (const GlobbedFolder& folder : kGlobbedFolders) {
            const QDir source(QStringLiteral(QUERYDECK_SOURCE_DIR "/packaging/") +
                              QLatin1String(folder.source));
            for (const QString& name : source.entryList(folder.patterns, QDir::Files))
                expected.insert(QLatin1String(folder.installed) + QLatin1Char('/') + name);
        }

        QSet<QString> actual;
        for (QDirIterator it(m_root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
             it.hasNext();)
            actual.insert(it.next().mid(m_root.size()));
        const QStringList missing = QSet<QString>(expected).subtract(actual).values();
        const QStringList stray = QSet<QString>(actual).subtract(expected).values();
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("missing: ") + missing.join(u' ')));
        QVERIFY2(stray.isEmpty(), qPrintable(QStringLiteral("unexpected: ") + stray.join(u' ')));
    }
};

QTEST_GUILESS_MAIN(PackageTest)
#include "tst_package.moc"
