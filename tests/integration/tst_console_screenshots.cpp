// The real `querydeck` console, offscreen: local dev mode starts, the panels
// fill with data from the embedded service and /proc, and --screenshot writes
// the window (main window and wall, 1080p and 4K) to a PNG.
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class ConsoleScreenshotTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QProcess* start(const QStringList& args)
    {
        auto* process = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), m_dir.filePath(QStringLiteral("cache")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        process->setProcessEnvironment(env);
        process->setProcessChannelMode(QProcess::MergedChannels);
        process->start(QStringLiteral(QUERYDECK_BIN),
                       QStringList{QStringLiteral("--port"), QStringLiteral("0")} + args);
        return process;
    }

private slots:
    void screenshots_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QSize>("size");
        QTest::newRow("main window") << QStringList{} << QSize(1600, 1000);
        QTest::newRow("wall 1080p") << QStringList{QStringLiteral("--wall")} << QSize(1920, 1080);
        QTest::newRow("wall 4K") << QStringList{QStringLiteral("--wall")} << QSize(3840, 2160);
    }

    void screenshots()
    {
        QFETCH(QStringList, args);
        QFETCH(QSize, size);
        const QString file =
            m_dir.filePath(QStringLiteral("%1.png").arg(QTest::currentDataTag()).replace(' ', '-'));
        QProcess* process =
            start(args + QStringList{QStringLiteral("--size"),
                                     QStringLiteral("%1x%2").arg(size.width()).arg(size.height()),
                                     QStringLiteral("--screenshot"), file,
                                     QStringLiteral("--after"), QStringLiteral("4")});
        QVERIFY(process->waitForFinished(60000));
        const QByteArray output = process->readAll();
        QVERIFY2(process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0,
                 output.constData());
        QVERIFY2(!output.contains("panels have no data"), output.constData());
        const QImage image(file);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), size);
        // Not a blank frame: a dark theme with coloured series has many colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));
    }

    void badOptionsAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("size") << QStringList{QStringLiteral("--size"), QStringLiteral("big")}
                              << QByteArray("--size");
        QTest::newRow("after") << QStringList{QStringLiteral("--after"), QStringLiteral("-1")}
                               << QByteArray("--after");
        QTest::newRow("screen") << QStringList{QStringLiteral("--screen"), QStringLiteral("x")}
                                << QByteArray("--screen");
    }

    void badOptionsAreRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, message);
        QProcess* process = start(args);
        QVERIFY(process->waitForFinished(20000));
        QCOMPARE(process->exitCode(), 2);
        QVERIFY(process->readAll().contains(message));
    }
};

QTEST_GUILESS_MAIN(ConsoleScreenshotTest)
#include "tst_console_screenshots.moc"
