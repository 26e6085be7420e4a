#include "backend/metrics/Expression.h"
#include "backend/metrics/TimeSeriesStore.h"

#include <QTest>
#include <algorithm>
#include <cmath>

using namespace querydeck;

namespace {

constexpr qint64 kT0 = 1'700'000'000'000;

qint64 at(double seconds)
{
    return kT0 + qint64(seconds * 1000);
}

SeriesKey key(const QString& name, QList<QPair<QString, QString>> labels)
{
    return SeriesKey::make(name, std::move(labels));
}

// "key=value;key=value" sorted by key, values with 6 significant digits, so
// expectations read like the PromQL console.
QString format(const std::vector<std::pair<SeriesKey, double>>& result)
{
    QStringList parts;
    for (const auto& [k, v] : result)
        parts.append(k.toString() + u'=' + QString::number(v, 'g', 6));
    parts.sort();
    return parts.join(u';');
}

} // namespace

class TestExpression : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void parseErrors_data();
    void parseErrors();
    void validSyntax_data();
    void validSyntax();
    void instant_data();
    void instant();
    void rateWithCounterReset();
    void range();
    void rangeEdges();
    void hostileNesting_data();
    void hostileNesting();

private:
    TimeSeriesStore m_store;
};

void TestExpression::initTestCase()
{
    const double buckets[][2] = {{0.005, 10}, {0.01, 25}, {0.05, 80}, {0.1, 95}, {INFINITY, 100}};
    for (int i = 0; i <= 600; ++i) {
        const qint64 t = at(i);
        m_store.append(
            key("http_requests_total", {{"code", "200"}, {"instance", "a"}, {"route", "/q"}}), t,
            9.0 * i);
        m_store.append(
            key("http_requests_total", {{"code", "500"}, {"instance", "a"}, {"route", "/q"}}), t,
            1.0 * i);
        m_store.append(
            key("http_requests_total", {{"code", "200"}, {"instance", "b"}, {"route", "/h"}}), t,
            18.0 * i);
        m_store.append(
            key("http_requests_total", {{"code", "500"}, {"instance", "b"}, {"route", "/h"}}), t,
            2.0 * i);
        if (i <= 100)
            m_store.append(key("temperature", {{"room", "lab"}}), t, 20.0 + (i % 3));
        for (const auto& [le, count] : buckets) {
            const QString bound = std::isinf(le) ? "+Inf" : QString::number(le);
            m_store.append(key("h_bucket", {{"le", bound}}), t, count);
            m_store.append(key("hr_bucket", {{"instance", "a"}, {"le", bound}}), t, count * i);
            m_store.append(key("hr_bucket", {{"instance", "b"}, {"le", bound}}), t, count * i);
            if (!std::isinf(le))
                m_store.append(key("hnoinf_bucket", {{"le", bound}}), t, count);
            m_store.append(key("hzero_bucket", {{"le", bound}}), t, 0);
        }
        // Non-monotonic: the 0.05 bucket reads lower than the 0.01 one.
        m_store.append(key("hbad_bucket", {{"le", "0.01"}}), t, 50);
        m_store.append(key("hbad_bucket", {{"le", "0.05"}}), t, 40);
        m_store.append(key("hbad_bucket", {{"le", "0.1"}}), t, 100);
        m_store.append(key("hbad_bucket", {{"le", "+Inf"}}), t, 100);
        m_store.append(key("hbad_bucket", {{"le", "junk"}}), t, 5);
        m_store.append(key("zero", {{"instance", "a"}}), t, 0);
    }
}

void TestExpression::parseErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");

    QTest::newRow("empty") << ""
                           << "at 0: expected an expression, found end of input";
    QTest::newRow("blank") << "   "
                           << "at 3: expected an expression, found end of input";
    QTest::newRow("unclosed rate") << "rate(x[5m]"
                                   << "at 10: expected ')' to close rate(";
    QTest::newRow("unclosed matchers") << R"(x{a="b")"
                                       << "at 7: expected ',' or '}' after label matchers";
    QTest::newRow("unclosed aggregation") << R"(sum(rate(x{a="b"}[5m]))"
                                          << "at 22: expected ')' to close the aggregation";
    QTest::newRow("rate without range")
        << "rate(x)"
        << "at 6: expected '[' and a range after the selector in rate()";
    QTest::newRow("bad duration unit") << "rate(x[5q])"
                                       << "at 8: expected a duration unit (ms, s, m, h, d, w, y)";
    QTest::newRow("missing duration") << "rate(x[])"
                                      << "at 7: expected a positive duration";
    // Found by fuzz_promql: 400004000y overflowed the milliseconds (UB).
    QTest::newRow("fuzzer: duration overflow") << "b-(avg_over_time(a[400004000y00y]))"
                                               << "at 19: duration too large (at most 292y)";
    QTest::newRow("duration past 292y") << "rate(x[293y])"
                                        << "at 7: duration too large (at most 292y)";
    QTest::newRow("compound duration past 292y") << "rate(x[200y100y])"
                                                 << "at 7: duration too large (at most 292y)";
    QTest::newRow("bad matcher op") << R"(x{a~"b"})"
                                    << "at 3: expected one of = != =~ !~";
    QTest::newRow("unknown function") << "foo(x)"
                                      << "at 0: unknown function 'foo'";
    QTest::newRow("trailing token") << "x y"
                                    << "at 2: unexpected 'y' after the expression";
    QTest::newRow("bad regex") << R"(x{a=~"("})"
                               << "at 5: invalid regular expression for label 'a'";
    QTest::newRow("unterminated string") << R"(x{a="b})"
                                         << "at 4: unterminated string";
    QTest::newRow("unclosed by") << "sum by (a (x)"
                                 << "at 10: expected ',' or ')' in by (...)";
    QTest::newRow("by without parens") << "sum by a (x)"
                                       << "at 7: expected '(' after 'by'";
    QTest::newRow("not by") << "sum without (a) (x)"
                            << "at 4: expected 'by' or '(' after the aggregation";
    QTest::newRow("quantile without comma")
        << "histogram_quantile(0.9 x)"
        << "at 23: expected ',' between the quantile and the buckets";
    QTest::newRow("dangling operator") << "1 +"
                                       << "at 3: expected an expression";
    QTest::newRow("number with unit") << "5m"
                                      << "at 0: invalid number '5m'";
    QTest::newRow("no metric name") << R"({a="b"})"
                                    << "at 0: expected a metric name before '{'";
    QTest::newRow("unclosed paren") << "(1 + 2"
                                    << "at 6: expected ')' to close the parenthesis";
    QTest::newRow("rate of expression") << "rate(1)"
                                        << "at 5: expected a metric selector in rate()";
    QTest::newRow("missing label value") << "x{a=}"
                                         << "at 4: expected a quoted label value";
}

void TestExpression::parseErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const Expression expression = Expression::parse(text);
    QVERIFY(!expression.isValid());
    QVERIFY2(expression.error().startsWith(error),
             qPrintable(QStringLiteral("got \"%1\"").arg(expression.error())));
    QVERIFY(expression.instant(m_store, at(300)).empty());
    QVERIFY(expression.range(m_store, at(0), at(60), 1000).empty());
}

void TestExpression::validSyntax_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("selector") << "up";
    QTest::newRow("all matchers") << R"(x{a="1", b!="2", c=~"3.*", d!~'4'})";
    QTest::newRow("trailing comma") << R"(x{a="1",})";
    QTest::newRow("empty matchers") << "x{}";
    QTest::newRow("grouping after") << "sum(rate(x[5m])) by (route)";
    QTest::newRow("compound duration") << "increase(x[1h30m])";
    QTest::newRow("ms duration") << "max_over_time(x[500ms])";
    QTest::newRow("longest duration") << "max_over_time(x[291y364d])";
    QTest::newRow("nested") << "histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m]))) * 1000";
    QTest::newRow("precedence and unary") << "-(1 + 2) * -3 / +4 - 5";
    QTest::newRow("exponent") << "1.5e3 + .5";
    QTest::newRow("newlines") << "sum by (code)\n  (rate(x[1m]))";
}

void TestExpression::validSyntax()
{
    QFETCH(QString, text);
    const Expression expression = Expression::parse(text);
    QVERIFY2(expression.isValid(), qPrintable(expression.error()));
    QCOMPARE(expression.text(), text);
}

void TestExpression::instant_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("expected");

    QTest::newRow("selector") << R"(http_requests_total{instance="a",code="500"})" << 10.0
                              << R"(http_requests_total{code="500",instance="a",route="/q"}=10)";
    QTest::newRow("selector between samples")
        << R"(temperature)" << 10.5 << R"(temperature{room="lab"}=21)";
    QTest::newRow("lookback 4 min") << "temperature" << 340.0 << R"(temperature{room="lab"}=21)";
    QTest::newRow("lookback expired") << "temperature" << 401.0 << "";
    QTest::newRow("regex matcher")
        << R"(http_requests_total{code=~"5..",route!~"/h"})" << 5.0
        << R"(http_requests_total{code="500",instance="a",route="/q"}=5)";
    QTest::newRow("rate steady") << R"(rate(http_requests_total{code="200",instance="b"}[1m]))"
                                 << 300.0 << R"({code="200",instance="b",route="/h"}=18)";
    QTest::newRow("rate off-grid") << R"(rate(http_requests_total{code="200",instance="b"}[1m]))"
                                   << 300.5 << R"({code="200",instance="b",route="/h"}=18)";
    QTest::newRow("increase") << R"(increase(http_requests_total{code="500",instance="a"}[5m]))"
                              << 400.0 << R"({code="500",instance="a",route="/q"}=300)";
    QTest::newRow("rate needs two samples") << R"(rate(http_requests_total[1s]))" << 300.0 << "";
    QTest::newRow("sum rate") << "sum(rate(http_requests_total[1m]))" << 300.0 << "{}=30";
    QTest::newRow("sum by code") << "sum by (code) (rate(http_requests_total[1m]))" << 300.0
                                 << R"({code="200"}=27;{code="500"}=3)";
    QTest::newRow("sum by route, code after")
        << "sum(rate(http_requests_total[2m])) by (route, code)" << 300.0
        << R"({code="200",route="/h"}=18;{code="200",route="/q"}=9;{code="500",route="/h"}=2;{code="500",route="/q"}=1)";
    QTest::newRow("sum by absent label")
        << "sum by (nope) (rate(http_requests_total[1m]))" << 300.0 << "{}=30";
    QTest::newRow("error rate")
        << R"(sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m])))"
        << 300.0 << "{}=0.1";
    QTest::newRow("error rate by instance")
        << R"(sum by (instance) (rate(http_requests_total{code="500"}[1m])) / sum by (instance) (rate(http_requests_total[1m])))"
        << 300.0 << R"({instance="a"}=0.1;{instance="b"}=0.1)";
    QTest::newRow("avg") << "avg(rate(http_requests_total[1m]))" << 300.0 << "{}=7.5";
    QTest::newRow("min") << "min(rate(http_requests_total[1m]))" << 300.0 << "{}=1";
    QTest::newRow("max by") << "max by (instance) (rate(http_requests_total[1m]))" << 300.0
                            << R"({instance="a"}=9;{instance="b"}=18)";
    QTest::newRow("count") << "count(http_requests_total)" << 300.0 << "{}=4";
    QTest::newRow("avg_over_time")
        << "avg_over_time(temperature[3s])" << 3.0 << R"({room="lab"}=21)";
    QTest::newRow("min_over_time")
        << "min_over_time(temperature[1m])" << 60.0 << R"({room="lab"}=20)";
    QTest::newRow("max_over_time")
        << "max_over_time(temperature[1m])" << 60.0 << R"({room="lab"}=22)";
    QTest::newRow("p50 of gauges")
        << "histogram_quantile(0.5, h_bucket)" << 100.0 << "{}=0.0281818";
    QTest::newRow("p95 of gauges") << "histogram_quantile(0.95, h_bucket)" << 100.0 << "{}=0.1";
    QTest::newRow("p5 in the first bucket")
        << "histogram_quantile(0.05, h_bucket)" << 100.0 << "{}=0.0025";
    QTest::newRow("p99 in +Inf bucket")
        << "histogram_quantile(0.99, h_bucket)" << 100.0 << "{}=0.1";
    QTest::newRow("q above 1") << "histogram_quantile(2, h_bucket)" << 100.0 << "{}=inf";
    QTest::newRow("q below 0") << "histogram_quantile(-1, h_bucket)" << 100.0 << "{}=-inf";
    QTest::newRow("p50 of rates by le")
        << "histogram_quantile(0.5, sum by (le) (rate(hr_bucket[1m])))" << 300.0 << "{}=0.0281818";
    QTest::newRow("p50 per instance")
        << "histogram_quantile(0.5, sum by (instance, le) (rate(hr_bucket[1m])))" << 300.0
        << R"({instance="a"}=0.0281818;{instance="b"}=0.0281818)";
    QTest::newRow("non-monotonic buckets")
        << "histogram_quantile(0.5, hbad_bucket)" << 10.0 << "{}=0.01";
    QTest::newRow("no +Inf bucket") << "histogram_quantile(0.5, hnoinf_bucket)" << 10.0 << "";
    QTest::newRow("no observations") << "histogram_quantile(0.5, hzero_bucket)" << 10.0 << "";
    QTest::newRow("quantile of nothing") << "histogram_quantile(0.5, absent_bucket)" << 10.0 << "";
    QTest::newRow("scalar arithmetic") << "2 * 3 + 1 - 8 / 4" << 0.0 << "{}=5";
    QTest::newRow("unary minus") << "-(2 + 3) * -2" << 0.0 << "{}=10";
    QTest::newRow("vector times scalar drops name")
        << R"(http_requests_total{code="500",instance="a"} * 100)" << 2.0
        << R"({code="500",instance="a",route="/q"}=200)";
    QTest::newRow("scalar minus vector") << R"(100 - temperature)" << 1.0 << R"({room="lab"}=79)";
    QTest::newRow("negated vector") << R"(-temperature)" << 1.0 << R"({room="lab"}=-21)";
    QTest::newRow("vector plus vector")
        << R"(http_requests_total{code="500"} + http_requests_total{code="500"})" << 3.0
        << R"({code="500",instance="a",route="/q"}=6;{code="500",instance="b",route="/h"}=12)";
    QTest::newRow("unmatched label sets")
        << R"(http_requests_total{code="500"} / http_requests_total{code="200"})" << 3.0 << "";
    QTest::newRow("division by scalar zero") << "temperature / 0" << 1.0 << "";
    QTest::newRow("scalar division by zero") << "1 / 0" << 1.0 << "";
    QTest::newRow("division by zero vector")
        << R"(http_requests_total{instance="a"} / zero)" << 3.0 << "";
    QTest::newRow("zero rate ratio") << "sum(rate(zero[1m])) / sum(rate(zero[1m]))" << 300.0 << "";
    QTest::newRow("no data: selector") << "absent_metric" << 300.0 << "";
    QTest::newRow("no data: rate") << "rate(absent_metric[5m])" << 300.0 << "";
    QTest::newRow("no data: sum") << "sum(rate(absent_metric[5m]))" << 300.0 << "";
    QTest::newRow("no data: before first sample") << "http_requests_total" << -10.0 << "";
    QTest::newRow("no data: ratio") << "sum(absent_a) / sum(absent_b)" << 300.0 << "";
}

void TestExpression::instant()
{
    QFETCH(QString, text);
    QFETCH(double, seconds);
    QFETCH(QString, expected);
    const Expression expression = Expression::parse(text);
    QVERIFY2(expression.isValid(), qPrintable(expression.error()));
    QCOMPARE(format(expression.instant(m_store, at(seconds))), expected);
}

void TestExpression::rateWithCounterReset()
{
    // 10/s from 1000 for 30 s, then the process restarts: the counter starts
    // again from 0 and reads 5 one second later, 10/s after that.
    TimeSeriesStore store;
    const SeriesKey counter = key("restarts_total", {{"job", "api"}});
    for (int i = 0; i < 60; ++i)
        store.append(counter, at(i), i < 30 ? 1000.0 + 10 * i : 5.0 + 10 * (i - 30));
    // In (t-60s, t]: 58 steps of 10 plus 5 across the restart = 585 over the
    // 59 s sampled; the first sample sits 1 s inside the window, within 1.1
    // average intervals, so Prometheus extrapolates to the full 60 s.
    const auto rate = Expression::parse("rate(restarts_total[1m])").instant(store, at(59));
    QCOMPARE(rate.size(), std::size_t(1));
    QCOMPARE(rate[0].second, 585.0 / 59.0);
    QCOMPARE(rate[0].first.toString(), QStringLiteral(R"({job="api"})"));
    const auto increase = Expression::parse("increase(restarts_total[1m])").instant(store, at(59));
    QCOMPARE(increase.size(), std::size_t(1));
    QCOMPARE(increase[0].second, 585.0 * 60.0 / 59.0);
    // Without the correction the drop would make the rate negative.
    QVERIFY(rate[0].second > 0);

    // Extrapolation stops at zero for a counter that starts in the window:
    // 0, 10, 20 at 10..12 s seen from t=20 with [20s]: toStart would be 10 s
    // (> 1.1 intervals, so half an interval), and toZero = 0 wins.
    TimeSeriesStore fresh;
    for (int i = 0; i < 3; ++i)
        fresh.append(counter, at(10 + i), 10.0 * i);
    const auto young = Expression::parse("increase(restarts_total[20s])").instant(fresh, at(20));
    QCOMPARE(young.size(), std::size_t(1));
    QCOMPARE(young[0].second, 20.0 * (2.0 + 0.0 + 0.5) / 2.0);
}

void TestExpression::range()
{
    const Expression expression =
        Expression::parse("sum by (route, code) (rate(http_requests_total[1m]))");
    QVERIFY(expression.isValid());
    const auto series =
        expression.range(m_store, at(120), at(420), 60'000, "{{route}} {{ code }}!");
    QCOMPARE(series.size(), std::size_t(4));
    QCOMPARE(series[0].legend, QStringLiteral("/h 200!"));
    QCOMPARE(series[3].legend, QStringLiteral("/q 500!"));
    for (const EvaluatedSeries& s : series) {
        QCOMPARE(s.points.size(), std::size_t(6));
        QCOMPARE(s.points.front().t, at(120));
        QCOMPARE(s.points.back().t, at(420));
    }
    for (const Point& p : series[0].points)
        QCOMPARE(p.v, 18.0);

    // Default legends: the label set, the metric name, or the expression.
    const auto raw = Expression::parse("temperature").range(m_store, at(0), at(10), 1000);
    QCOMPARE(raw.size(), std::size_t(1));
    QCOMPARE(raw[0].legend, QStringLiteral(R"(temperature{room="lab"})"));
    QCOMPARE(raw[0].points.size(), std::size_t(11));
    const auto total = Expression::parse("sum(rate(http_requests_total[1m]))")
                           .range(m_store, at(100), at(200), 10'000);
    QCOMPARE(total.size(), std::size_t(1));
    QCOMPARE(total[0].legend, QStringLiteral("sum(rate(http_requests_total[1m]))"));
    QCOMPARE(total[0].points.size(), std::size_t(11));

    // Data that stops part-way gives points only where there is data.
    const auto stops = Expression::parse("temperature").range(m_store, at(0), at(600), 60'000);
    QCOMPARE(stops.size(), std::size_t(1));
    QCOMPARE(stops[0].points.size(), std::size_t(7)); // 0..360 s, 5 min look-back after 100 s
}

void TestExpression::rangeEdges()
{
    const Expression expression = Expression::parse("temperature");
    QVERIFY(expression.range(m_store, at(10), at(0), 1000).empty());
    QVERIFY(expression.range(m_store, at(0), at(10), 0).empty());
    QVERIFY(expression.range(m_store, at(0), at(10), -5).empty());
    // A hostile step count is capped, not executed.
    const auto capped = expression.range(m_store, at(0), at(100), 1);
    QCOMPARE(capped.size(), std::size_t(1));
    QVERIFY(capped[0].points.size() <= 11000);
    QVERIFY(Expression::parse("absent").range(m_store, at(0), at(10), 1000).empty());
    // A default-constructed expression is invalid and evaluates to nothing.
    const Expression none;
    QVERIFY(!none.isValid());
    QVERIFY(none.instant(m_store, at(0)).empty());
}

void TestExpression::hostileNesting_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("message");
    const QString deep = QStringLiteral("nested deeper than 128 levels");
    const QString tooLong = QStringLiteral("the limit is 65536");
    const auto wrap = [](const QString& open, const QString& inner, const QString& close, int n) {
        return open.repeated(n) + inner + close.repeated(n);
    };

    QTest::newRow("100 parens") << wrap("(", "1", ")", 100) << true << QString();
    QTest::newRow("30 000 parens") << wrap("(", "1", ")", 30000) << false << deep;
    QTest::newRow("100 000 parens") << wrap("(", "1", ")", 100000) << false << tooLong;
    QTest::newRow("unbalanced parens") << QString(30000, u'(') << false << deep;
    QTest::newRow("100 000 unbalanced parens") << QString(100000, u'(') << false << tooLong;
    QTest::newRow("long sum chain") << "1" + QStringLiteral("+1").repeated(5000) << false << deep;
    QTest::newRow("long product chain")
        << "x" + QStringLiteral("*x").repeated(5000) << false << deep;
    QTest::newRow("unary chain") << QString(50000, u'-') + "1" << false << deep;
    QTest::newRow("unary plus chain") << QString(50000, u'+') + "1" << false << deep;
    QTest::newRow("-(-(-(...))) 20 000 deep") << wrap("-(", "1", ")", 20000) << false << deep;
    QTest::newRow("-(-(-(...))) 100 000 deep") << wrap("-(", "1", ")", 100000) << false << tooLong;
    QTest::newRow("nested sum()") << wrap("sum(", "x", ")", 10000) << false << deep;
    QTest::newRow("nested histogram_quantile")
        << wrap("histogram_quantile(0.5,", "x", ")", 2000) << false << deep;
    QTest::newRow("moderate chain")
        << "1" + QStringLiteral("+1").repeated(100) << true << QString();
    QTest::newRow("127 negations, depth 128") << QString(127, u'-') + "1" << true << QString();
    QTest::newRow("128 negations") << QString(128, u'-') + "1" << false << deep;
    QTest::newRow("empty") << QString() << false << QStringLiteral("expected an expression");
    QTest::newRow("truncated") << QStringLiteral("sum(rate(x[5m]") << false
                               << QStringLiteral("expected ')'");
}

void TestExpression::hostileNesting()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QString, message);
    const Expression expression = Expression::parse(text);
    QCOMPARE(expression.isValid(), ok);
    if (ok) {
        // Evaluation walks the whole (bounded) tree without exhausting the stack.
        QCOMPARE(expression.instant(m_store, at(0)).size(), std::size_t(1));
    } else {
        QVERIFY2(expression.error().contains(message), qPrintable(expression.error().left(200)));
    }
}

QTEST_GUILESS_MAIN(TestExpression)
#include "tst_expression.moc"
