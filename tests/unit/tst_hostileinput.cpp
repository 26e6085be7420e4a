// Issue 12, "no input crashes anything": every reader of outside bytes gets
// the same four hostile inputs — empty, malformed, oversized and deeply
// nested (1,000 and 100,000 levels, arrays and objects) — and must return a
// clean error naming what was wrong. Each parser is called through its plain
// bytes-in entry point, the same one a fuzzer would call.
#include "backend/alerting/AlertAcknowledgements.h"
#include "backend/alerting/AlertHistory.h"
#include "backend/alerting/AlertRuleJson.h"
#include "backend/alerting/AlertSilence.h"
#include "backend/config/ConfigLoader.h"
#include "backend/dashboards/DashboardLoader.h"
#include "backend/redis/ClusterNodes.h"
#include "backend/redis/RedisInfo.h"
#include "backend/redis/RedisReply.h"
#include "backend/redisops/ServiceReplicaProbe.h"
#include "backend/service/QueryRequest.h"
#include "backend/sources/PrometheusConfig.h"
#include "backend/sources/PrometheusSource.h"

#include <QRegularExpression>
#include <QTest>
#include <functional>
#include <hiredis/hiredis.h>
#include <vector>

using namespace querydeck;

namespace {

using Reader = std::function<QString(const QByteArray&)>; // the error text; empty: accepted

QString joined(const QStringList& errors)
{
    return errors.join(QLatin1String(" | "));
}

// Every JSON reader, by name.
QList<QPair<QString, Reader>> jsonReaders()
{
    return {
        {"request body",
         [](const QByteArray& b) {
             const auto parsed = QueryRequest::parse(b, 4);
             return parsed.error ? parsed.error->message : QString();
         }},
        {"config", [](const QByteArray& b) { return joined(ConfigLoader::loadJson(b).errors); }},
        {"config section",
         [](const QByteArray& b) {
             QString error;
             ConfigLoader::parseSectionDocument(b, QStringLiteral("console"), &error);
             return error;
         }},
        {"prometheus config",
         [](const QByteArray& b) { return joined(PrometheusConfigLoader::loadJson(b).errors); }},
        {"dashboard",
         [](const QByteArray& b) { return joined(DashboardLoader::loadJson(b).errors); }},
        {"alert rules", [](const QByteArray& b) { return joined(AlertRuleJson::parse(b).errors); }},
        {"silences", [](const QByteArray& b) { return joined(AlertSilences::parse(b).errors); }},
        {"acknowledgements",
         [](const QByteArray& b) { return joined(AlertAcknowledgements::parse(b).errors); }},
        {"alert history line",
         [](const QByteArray& b) {
             QString error;
             AlertHistory::fromLine(b, &error);
             return error;
         }},
        {"prometheus reply", [](const QByteArray& b) { return PrometheusSource::parse(b).error; }},
        {"replica /v1/info",
         [](const QByteArray& b) {
             ServiceReplicaProbe::State state;
             QString error;
             ServiceReplicaProbe::parseInfo(b, &state, &error);
             return error;
         }},
    };
}

QByteArray arrays(int depth)
{
    return QByteArray(depth, '[') + QByteArray(depth, ']');
}

QByteArray objects(int depth)
{
    return QByteArray("{\"a\":").repeated(depth) + "1" + QByteArray(depth, '}');
}

// Wrapped in each reader's expected top-level object, so the depth is what fails.
QByteArray inObject(const QByteArray& inner)
{
    return "{\"query\":\"q\",\"x\":" + inner + "}";
}

} // namespace

class HostileInputTest : public QObject
{
    Q_OBJECT

private slots:
    void json_data()
    {
        QTest::addColumn<int>("reader");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected"); // a regular expression the error must match

        // 33 MiB: over every JSON reader's own limit (the largest is 32 MiB).
        const QByteArray oversized = "{\"x\":\"" + QByteArray(33 * 1024 * 1024, 'x') + "\"}";
        const QString deep = QStringLiteral("nested deeper than (64|128|256) levels");
        const QList<QPair<QString, Reader>> readers = jsonReaders();
        for (int i = 0; i < readers.size(); ++i) {
            const QByteArray name = readers[i].first.toUtf8();
            QTest::newRow(name + ": empty") << i << QByteArray() << "empty";
            QTest::newRow(name + ": whitespace") << i << QByteArray(" \n\t ") << "empty";
            // Qt's reason with its offset, after the reader's own wording, e.g.
            // `silences: expected {"silences": [...]} (illegal value at offset 1)`.
            const QString malformed =
                QStringLiteral("(JSON|expected \\{).*(offset|byte) \\d+|is not a JSON object \\(");
            QTest::newRow(name + ": truncated") << i << QByteArray(R"({"a":[1,2)") << malformed;
            QTest::newRow(name + ": garbage")
                << i << QByteArray("<html>\x01\xff") << malformed + "|UTF-8";
            QTest::newRow(name + ": oversized") << i << oversized << "limit|larger than|over the";
            // A history line is bounded at 64 KiB first: 100,000 levels trip that.
            const QString huge =
                name == "alert history line"
                    ? QStringLiteral("JSON is \\d+ bytes; the limit is 65536 bytes")
                    : deep;
            QTest::newRow(name + ": 1,000 arrays") << i << arrays(1000) << deep;
            QTest::newRow(name + ": 100,000 arrays") << i << arrays(100000) << huge;
            QTest::newRow(name + ": 100,000 unclosed arrays")
                << i << QByteArray(100000, '[') << huge;
            QTest::newRow(name + ": 1,000 objects") << i << objects(1000) << deep;
            QTest::newRow(name + ": 100,000 objects") << i << objects(100000) << huge;
            QTest::newRow(name + ": 1,000 arrays in an object")
                << i << inObject(arrays(1000)) << deep;
        }
    }

    void json()
    {
        QFETCH(int, reader);
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        const QString error = jsonReaders().at(reader).second(input);
        QVERIFY2(!error.isEmpty(), "hostile input accepted");
        QVERIFY2(error.contains(QRegularExpression(expected)), qPrintable(error.left(300)));
    }

    // The limit is named with its number and the byte where it was crossed.
    void depthErrorsNameLimitAndByte_data()
    {
        QTest::addColumn<int>("reader");
        QTest::addColumn<QString>("expected");
        const QStringList expected = {
            "request body: JSON nested deeper than 64 levels at byte 64",
            "config: JSON syntax error at line 1, column 129 (offset 128): nested deeper than 128 "
            "levels",
            "console: the config file: JSON nested deeper than 128 levels at byte 128",
            "console.prometheus: config file: JSON nested deeper than 128 levels at byte 128",
            "dashboard: JSON nested deeper than 128 levels at byte 128",
            "rules file: JSON nested deeper than 128 levels at byte 128",
            "silences: JSON nested deeper than 128 levels at byte 128",
            "acknowledgements: JSON nested deeper than 128 levels at byte 128",
            "not JSON (JSON nested deeper than 64 levels at byte 64)",
            "malformed response: JSON nested deeper than 256 levels at byte 256",
            "/v1/info is not a JSON object (JSON nested deeper than 64 levels at byte 64)",
        };
        const QList<QPair<QString, Reader>> readers = jsonReaders();
        QCOMPARE(expected.size(), readers.size());
        for (int i = 0; i < readers.size(); ++i)
            QTest::newRow(readers[i].first.toUtf8()) << i << expected[i];
    }

    void depthErrorsNameLimitAndByte()
    {
        QFETCH(int, reader);
        QFETCH(QString, expected);
        const QString error = jsonReaders().at(reader).second(arrays(1000));
        QCOMPARE(error, expected);
    }

    void redisReply_data()
    {
        QTest::addColumn<QByteArray>("resp");
        QTest::addColumn<int>("replies");
        QTest::addColumn<QString>("expected"); // in the error, or in a Failed reply's text

        const auto nested = [](int depth) {
            return QByteArray("*1\r\n").repeated(depth) + ":1\r\n";
        };
        QTest::newRow("empty") << QByteArray() << 0 << QString();
        QTest::newRow("two plain replies") << QByteArray("+OK\r\n$3\r\nabc\r\n") << 2 << QString();
        QTest::newRow("nested 5") << nested(5) << 1 << QString();
        QTest::newRow("truncated bulk") << QByteArray("$10\r\nabc") << 0 << QString();
        QTest::newRow("bad type byte") << QByteArray("?what\r\n") << 0 << "Protocol error";
        QTest::newRow("bad bulk length") << QByteArray("$abc\r\n") << 0 << "length";
        QTest::newRow("nested 1,000") << nested(1000) << 0 << "nested";
        QTest::newRow("nested 100,000") << nested(100000) << 0 << "nested";
    }

    void redisReply()
    {
        QFETCH(QByteArray, resp);
        QFETCH(int, replies);
        QFETCH(QString, expected);
        QString error;
        const QList<RedisReply> parsed = RedisReply::parse(resp, &error);
        // A reply too deep for our copy comes back as one Failed reply; too
        // deep for the hiredis reader, as the reader's error. Either names it.
        QString problem = error;
        for (const RedisReply& reply : parsed)
            if (reply.isFailed())
                problem += reply.errorText();
        if (expected.isEmpty()) {
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            QCOMPARE(parsed.size(), replies);
        } else {
            QVERIFY2(problem.contains(expected, Qt::CaseInsensitive), qPrintable(problem));
        }
    }

    // hiredis 0.14 stops at depth 7 itself; newer hiredis grows without a
    // limit. Our copy's own bound is exercised on a hand-built reply tree.
    void redisReplyCopyIsBoundedAtItsOwnLimit_data()
    {
        QTest::addColumn<int>("depth"); // number of nested arrays
        QTest::addColumn<bool>("ok");
        QTest::newRow("at the limit") << RedisReply::kMaxDepth << true;
        QTest::newRow("one past") << RedisReply::kMaxDepth + 1 << false;
        QTest::newRow("100,000") << 100000 << false;
    }

    void redisReplyCopyIsBoundedAtItsOwnLimit()
    {
        QFETCH(int, depth);
        QFETCH(bool, ok);
        // Arrays of one element each, an integer at the bottom; owned here.
        std::vector<::redisReply> nodes(std::size_t(depth) + 1);
        std::vector<::redisReply*> children(static_cast<std::size_t>(depth));
        for (int i = 0; i < depth; ++i) {
            nodes[i].type = REDIS_REPLY_ARRAY;
            nodes[i].elements = 1;
            children[i] = &nodes[i + 1];
            nodes[i].element = &children[i];
        }
        nodes[depth].type = REDIS_REPLY_INTEGER;
        nodes[depth].integer = 7;
        const RedisReply reply = RedisReply::fromHiredis(&nodes[0]);
        QCOMPARE(reply.isFailed(), !ok);
        if (ok) {
            const RedisReply* leaf = &reply;
            for (int i = 0; i < depth; ++i)
                leaf = &leaf->elements.at(0);
            QCOMPARE(leaf->integer, 7LL);
        } else {
            QCOMPARE(reply.errorText(), QStringLiteral("reply nested deeper than 16 levels"));
        }
    }

    void redisText_data()
    {
        QTest::addColumn<bool>("cluster");
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<QString>("expected");
        QTest::newRow("INFO empty") << false << QByteArray() << "empty INFO reply";
        QTest::newRow("INFO oversized")
            << false << QByteArray(RedisInfo::kMaxReplyBytes + 1, 'x') << "read only the first";
        QTest::newRow("INFO long line")
            << false << "a:" + QByteArray(RedisInfo::kMaxLineBytes + 1, 'x') << "line 1";
        QTest::newRow("CLUSTER NODES empty")
            << true << QByteArray(" \r\n") << "empty CLUSTER NODES reply";
        QTest::newRow("CLUSTER NODES oversized")
            << true << QByteArray(ClusterNodes::kMaxReplyBytes + 1, 'x') << "byte limit";
        QTest::newRow("CLUSTER NODES malformed") << true << QByteArray("abc def\n") << "line 1";
        QTest::newRow("CLUSTER NODES garbage bytes")
            << true << QByteArray("\xff\xfe\x00\x01 [[[[ {{{{\n", 14) << "line 1";
    }

    void redisText()
    {
        QFETCH(bool, cluster);
        QFETCH(QByteArray, reply);
        QFETCH(QString, expected);
        const QStringList problems =
            cluster ? ClusterNodes::parse(reply).problems : RedisInfo::parse(reply).problems;
        QVERIFY2(!problems.isEmpty(), "hostile reply accepted silently");
        QVERIFY2(problems.first().contains(expected), qPrintable(problems.first().left(300)));
    }
};

QTEST_GUILESS_MAIN(HostileInputTest)
#include "tst_hostileinput.moc"
