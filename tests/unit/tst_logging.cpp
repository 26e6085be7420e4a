#include "backend/logging/JsonLogFormatter.h"
#include "backend/logging/Logging.h"
#include "backend/logging/TextLogFormatter.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sstream>

using namespace querydeck;

namespace {

// Formats one record with `formatter` through a real spdlog logger and returns the output.
QByteArray formatOne(std::unique_ptr<spdlog::formatter> formatter, const QByteArray& message,
                     const std::string& loggerName = "service",
                     spdlog::level::level_enum level = spdlog::level::info)
{
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
    sink->set_formatter(std::move(formatter));
    spdlog::logger logger(loggerName, sink);
    logger.set_level(spdlog::level::trace);
    logger.log(level, spdlog::string_view_t(message.constData(), std::size_t(message.size())));
    const std::string text = out.str();
    return QByteArray(text.data(), qsizetype(text.size()));
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QString fffd(int n = 1)
{
    return QString(n, QChar(0xFFFD));
}

} // namespace

class TestLogging : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void jsonLineForHostileMessage_data();
    void jsonLineForHostileMessage();
    void jsonEscapesLoggerNameAndLevels();
    void textLineShape();
    void textLineEscapesControlCharacters();
    void formattersMaskBearerTokens();

    void parseLevel_data();
    void parseLevel();
    void redact_data();
    void redact();

    void applyWritesJsonLinesToFile();
    void applyTextFormatAndLevelFilter();
    void applyRejectsBadSettings_data();
    void applyRejectsBadSettings();
    void unwritableLogFileIsAnError_data();
    void unwritableLogFileIsAnError();

private:
    QtMessageHandler m_qtestHandler = nullptr;
    QTemporaryDir m_dir;
};

void TestLogging::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    // Keep Qt Test's own message handler to put back after apply() replaces it.
    m_qtestHandler = qInstallMessageHandler(nullptr);
    qInstallMessageHandler(m_qtestHandler);
}

void TestLogging::cleanupTestCase()
{
    QCOMPARE(LoggingSetup::apply(LoggingConfig{}), QString()); // closes any log file
    qInstallMessageHandler(m_qtestHandler);
}

void TestLogging::jsonLineForHostileMessage_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << QByteArray("hello") << QStringLiteral("hello");
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("quotes and backslashes") << QByteArray(R"(say "hi" \ C:\path\ \" \\)")
                                            << QStringLiteral(R"(say "hi" \ C:\path\ \" \\)");
    QTest::newRow("JSON injection") << QByteArray(R"(x","level":"critical","msg":"pwned)")
                                    << QStringLiteral(R"(x","level":"critical","msg":"pwned)");
    QTest::newRow("newlines and tabs")
        << QByteArray("a\nb\r\nc\td") << QStringLiteral("a\nb\r\nc\td");
    QTest::newRow("NUL") << QByteArray("a\0b", 3) << QString(QStringLiteral("a") + QChar(0) + u'b');
    QTest::newRow("all controls") << QByteArray("\x01\x08\x0c\x1b[31m\x1f\x7f")
                                  << QStringLiteral("\x01\b\f\x1b[31m\x1f\x7f");
    QTest::newRow("valid multibyte")
        << QByteArray("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x9a\x80")
        << QStringLiteral("café 日本 🚀");
    QTest::newRow("U+2028") << QByteArray("a\xe2\x80\xa8z")
                            << QString(QStringLiteral("a") + QChar(0x2028) + u'z');
    QTest::newRow("lone 0xFF") << QByteArray("a\xff"
                                             "b")
                               << QStringLiteral("a") + fffd() + u'b';
    QTest::newRow("truncated at end") << QByteArray("x\xe2\x82") << QStringLiteral("x") + fffd();
    QTest::newRow("truncated mid") << QByteArray("\xe2\x82x") << fffd() + u'x';
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << fffd(2);
    QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << fffd(3);
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << fffd(3);
    QTest::newRow("beyond U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << fffd(4);
    QTest::newRow("stray continuation")
        << QByteArray("\x80\x80ok") << fffd(2) + QStringLiteral("ok");
    QTest::newRow("10 KB") << QByteArray(10 * 1024, '"') << QString(10 * 1024, u'"');
    QTest::newRow("10 KB mixed") << QByteArray("\"\n\xff\\").repeated(2560)
                                 << (QStringLiteral("\"\n") + fffd() + u'\\').repeated(2560);
}

void TestLogging::jsonLineForHostileMessage()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, expected);

    const QByteArray line = formatOne(std::make_unique<JsonLogFormatter>(), message);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1); // one record, one line

    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    QVERIFY2(error.error == QJsonParseError::NoError,
             qPrintable(error.errorString() + QStringLiteral(" in ") +
                        QString::fromUtf8(line.left(200))));
    const QJsonObject object = doc.object();
    QCOMPARE(object.keys(), (QStringList{"level", "logger", "msg", "ts"}));
    QCOMPARE(object.value("msg").toString(), expected);
    QCOMPARE(object.value("level").toString(), QStringLiteral("info"));
    QCOMPARE(object.value("logger").toString(), QStringLiteral("service"));

    const QString ts = object.value("ts").toString();
    static const QRegularExpression shape(
        QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)"));
    QVERIFY2(shape.match(ts).hasMatch(), qPrintable(ts));
    const QDateTime when = QDateTime::fromString(ts, Qt::ISODateWithMs);
    QVERIFY(when.isValid());
    QVERIFY(qAbs(when.msecsTo(QDateTime::currentDateTimeUtc())) < 60000);
}

void TestLogging::jsonEscapesLoggerNameAndLevels()
{
    const QByteArray line =
        formatOne(std::make_unique<JsonLogFormatter>(), "m", "we\"ird\nname", spdlog::level::warn);
    const QJsonObject object = QJsonDocument::fromJson(line).object();
    QCOMPARE(object.value("logger").toString(), QStringLiteral("we\"ird\nname"));
    QCOMPARE(object.value("level").toString(), QStringLiteral("warning"));

    const QByteArray err =
        formatOne(std::make_unique<JsonLogFormatter>(), "m", "service", spdlog::level::err);
    QCOMPARE(QJsonDocument::fromJson(err).object().value("level").toString(),
             QStringLiteral("error"));
}

void TestLogging::textLineShape()
{
    const QByteArray line =
        formatOne(std::make_unique<TextLogFormatter>(), "ready on 127.0.0.1:8000");
    static const QRegularExpression shape(QStringLiteral(
        R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info \[service\] ready on 127\.0\.0\.1:8000\n$)"));
    QVERIFY2(shape.match(QString::fromUtf8(line)).hasMatch(), line.constData());
}

void TestLogging::textLineEscapesControlCharacters()
{
    const QByteArray forged("q\n2026-11-22T13:45:00.123Z error [service] forged\x1b[0m\xff");
    const QByteArray line = formatOne(std::make_unique<TextLogFormatter>(), forged);
    QCOMPARE(line.count('\n'), 1);
    QVERIFY2(line.endsWith(
                 "] q\\n2026-11-22T13:45:00.123Z error [service] forged\\x1b[0m\xef\xbf\xbd\n"),
             line.constData());
}

void TestLogging::formattersMaskBearerTokens()
{
    const QByteArray secret("Authorization: Bearer s3cr3t-T0ken.abc");
    const QByteArray json = formatOne(std::make_unique<JsonLogFormatter>(), secret);
    const QByteArray text = formatOne(std::make_unique<TextLogFormatter>(), secret);
    QVERIFY(!json.contains("s3cr3t"));
    QVERIFY(!text.contains("s3cr3t"));
    QCOMPARE(QJsonDocument::fromJson(json).object().value("msg").toString(),
             QStringLiteral("Authorization: Bearer [REDACTED]"));
    QVERIFY(text.endsWith("Authorization: Bearer [REDACTED]\n"));
}

void TestLogging::parseLevel_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected"); // -1: refused

    QTest::newRow("trace") << "trace" << int(spdlog::level::trace);
    QTest::newRow("DEBUG") << "DEBUG" << int(spdlog::level::debug);
    QTest::newRow(" info ") << " info " << int(spdlog::level::info);
    QTest::newRow("warn") << "warn" << int(spdlog::level::warn);
    QTest::newRow("Warning") << "Warning" << int(spdlog::level::warn);
    QTest::newRow("error") << "error" << int(spdlog::level::err);
    QTest::newRow("err") << "err" << int(spdlog::level::err);
    QTest::newRow("critical") << "critical" << int(spdlog::level::critical);
    QTest::newRow("off") << "off" << int(spdlog::level::off);
    QTest::newRow("empty") << "" << -1;
    QTest::newRow("verbose") << "verbose" << -1;
    QTest::newRow("info2") << "info2" << -1;
    QTest::newRow("number") << "2" << -1;
    QTest::newRow("NUL inside") << QString(QStringLiteral("info") + QChar(0)) << -1;
}

void TestLogging::parseLevel()
{
    QFETCH(QString, text);
    QFETCH(int, expected);
    const auto level = LoggingSetup::parseLevel(text);
    if (expected < 0) {
        QVERIFY(!level.has_value());
    } else {
        QVERIFY(level.has_value());
        QCOMPARE(int(*level), expected);
    }
}

void TestLogging::redact_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("header") << "Authorization: Bearer abc.def-ghi_jkl~+/=="
                            << "Authorization: Bearer [REDACTED]";
    QTest::newRow("brief example") << "Bearer xyz"
                                   << "Bearer [REDACTED]";
    QTest::newRow("lower case, spaces") << "token bearer    xyz==, then"
                                        << "token bearer    [REDACTED], then";
    QTest::newRow("upper case, tab") << "BEARER\tabc"
                                     << "BEARER\t[REDACTED]";
    QTest::newRow("two tokens") << "Bearer a1 and Bearer b2"
                                << "Bearer [REDACTED] and Bearer [REDACTED]";
    QTest::newRow("JSON value") << R"({"auth":"Bearer abc"})"
                                << R"({"auth":"Bearer [REDACTED]"})";
    QTest::newRow("nothing") << "no secret here"
                             << "no secret here";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("scheme alone") << "Bearer"
                                  << "Bearer";
    QTest::newRow("scheme and space") << "Bearer "
                                      << "Bearer ";
    QTest::newRow("inside a word") << "cupbearer xyz"
                                   << "cupbearer xyz";
    QTest::newRow("no blank") << "Bearerxyz"
                              << "Bearerxyz";
    QTest::newRow("non-ASCII around") << "é Bearer tök"
                                      << "é Bearer [REDACTED]ök";
}

void TestLogging::redact()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(LoggingSetup::redact(input), expected);
}

void TestLogging::applyWritesJsonLinesToFile()
{
    const QString path = m_dir.filePath(QStringLiteral("logs/service.jsonl")); // parent created
    LoggingConfig config;
    config.level = QStringLiteral("debug");
    config.format = QStringLiteral("json");
    config.file = path;
    QCOMPARE(LoggingSetup::apply(config), QString());

    log::service()->info("request {} done", "k3f9x2ab0q-1");
    log::get("redis")->debug("debug \"quoted\" {}", 42);
    log::cache()->trace("not at debug level");
    spdlog::warn("through the default logger");
    qWarning("from Qt: %s", "Bearer qt-secret");
    LoggingSetup::flush();
    qInstallMessageHandler(m_qtestHandler);

    const QList<QByteArray> lines = readFile(path).split('\n');
    QCOMPARE(lines.size(), 5); // four records and the final empty piece
    QCOMPARE(lines.last(), QByteArray());
    QStringList loggers, messages;
    for (int i = 0; i < 4; ++i) {
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(lines[i], &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, lines[i].constData());
        loggers << object.value("logger").toString();
        messages << object.value("msg").toString();
    }
    QCOMPARE(loggers, (QStringList{"service", "redis", "querydeck", "qt"}));
    QCOMPARE(messages.at(0), QStringLiteral("request k3f9x2ab0q-1 done"));
    QCOMPARE(messages.at(1), QStringLiteral("debug \"quoted\" 42"));
    QCOMPARE(messages.at(3), QStringLiteral("from Qt: Bearer [REDACTED]"));
}

void TestLogging::applyTextFormatAndLevelFilter()
{
    const QString path = m_dir.filePath(QStringLiteral("text.log"));
    {
        QFile existing(path);
        QVERIFY(existing.open(QIODevice::WriteOnly));
        existing.write("earlier line\n");
    }
    LoggingConfig config;
    config.level = QStringLiteral("warn");
    config.format = QStringLiteral("text");
    config.file = path;
    QCOMPARE(LoggingSetup::apply(config), QString());

    log::service()->info("filtered out");
    log::service()->warn("kept");
    qDebug("filtered Qt debug");
    LoggingSetup::flush();
    qInstallMessageHandler(m_qtestHandler);

    const QList<QByteArray> lines = readFile(path).split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0), QByteArray("earlier line")); // appended, not truncated
    QVERIFY2(lines.at(1).endsWith(" warning [service] kept"), lines.at(1).constData());
}

void TestLogging::applyRejectsBadSettings_data()
{
    QTest::addColumn<QString>("level");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("mustMention");

    QTest::newRow("level") << "loud"
                           << "text"
                           << "logging.level: unknown level \"loud\"";
    QTest::newRow("empty level") << ""
                                 << "json"
                                 << "logging.level";
    QTest::newRow("format") << "info"
                            << "xml"
                            << "logging.format: unknown format \"xml\"";
    QTest::newRow("format case") << "info"
                                 << "JSON"
                                 << "logging.format";
}

void TestLogging::applyRejectsBadSettings()
{
    QFETCH(QString, level);
    QFETCH(QString, format);
    QFETCH(QString, mustMention);

    // A good set-up first, to see that a bad one leaves it in place.
    const QString path = m_dir.filePath(QStringLiteral("kept-%1.log").arg(QTest::currentDataTag()));
    LoggingConfig good;
    good.file = path;
    QCOMPARE(LoggingSetup::apply(good), QString());

    LoggingConfig bad;
    bad.level = level;
    bad.format = format;
    const QString error = LoggingSetup::apply(bad);
    QVERIFY2(error.contains(mustMention), qPrintable(error));

    log::service()->info("still here");
    LoggingSetup::flush();
    qInstallMessageHandler(m_qtestHandler);
    QVERIFY(readFile(path).contains("still here"));
}

void TestLogging::unwritableLogFileIsAnError_data()
{
    QTest::addColumn<QString>("relativePath");
    QTest::newRow("parent is a file") << "plain-file/service.log";
    QTest::newRow("path is a directory") << "a-directory";
}

void TestLogging::unwritableLogFileIsAnError()
{
    QFETCH(QString, relativePath);
    {
        QFile plain(m_dir.filePath(QStringLiteral("plain-file")));
        QVERIFY(plain.open(QIODevice::WriteOnly));
    }
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("a-directory")));

    LoggingConfig config;
    config.file = m_dir.filePath(relativePath);
    const QString error = LoggingSetup::apply(config);
    QVERIFY2(error.startsWith(QStringLiteral("logging.file: cannot open")), qPrintable(error));
    QVERIFY2(error.contains(config.file), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestLogging)
#include "tst_logging.moc"
