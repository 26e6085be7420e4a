#include "retrieval/HtmlText.h"

#include <QTest>
#include <algorithm>
#include <limits>

using namespace querydeck;

class TestHtmlText : public QObject
{
    Q_OBJECT

private slots:
    void toPlainText_data();
    void toPlainText();
    void hugeInputIsLinear();
};

void TestHtmlText::toPlainText_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QString>("expected");

    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("plain text") << "just text"
                                << "just text";
    QTest::newRow("inline tags vanish") << "a <b>bold</b> and <i>it</i>"
                                        << "a bold and it";
    QTest::newRow("paragraphs") << "<p>One.</p><p>Two.</p>"
                                << "One.\n\nTwo.";
    QTest::newRow("br is a line break") << "line1<br>line2<br/>line3"
                                        << "line1\nline2\nline3";
    QTest::newRow("list items") << "<ul><li>a</li><li>b</li></ul>"
                                << "a\nb";
    QTest::newRow("headings") << "<h1>Title</h1>Body"
                              << "Title\n\nBody";
    QTest::newRow("script dropped") << "a<script>var x = '<p>';</script>b"
                                    << "a b";
    QTest::newRow("style dropped") << "<style>p { color: red }</style><p>x</p>"
                                   << "x";
    QTest::newRow("uppercase script") << "<SCRIPT>alert(1)</SCRIPT>ok"
                                      << "ok";
    QTest::newRow("unclosed script drops rest") << "a<script>never closed"
                                                << "a";
    QTest::newRow("comment dropped") << "a<!-- <p>hidden</p> -->b"
                                     << "ab";
    QTest::newRow("doctype dropped") << "<!DOCTYPE html><html><body>x</body></html>"
                                     << "x";
    QTest::newRow("named entities") << "&amp; &lt; &gt; &quot; &#39; &apos;"
                                    << "& < > \" ' '";
    QTest::newRow("nbsp is a space") << "a&nbsp;b"
                                     << "a b";
    QTest::newRow("decimal entity") << "&#65;&#233;"
                                    << "A\u00e9";
    QTest::newRow("hex entity") << "&#x41;&#X263A;"
                                << "A\u263a";
    QTest::newRow("astral entity") << "&#x1F600;" << QString::fromUtf8("\xF0\x9F\x98\x80");
    QTest::newRow("invalid numeric entity") << "&#0;&#xD800;&#x110000;"
                                            << "\ufffd\ufffd\ufffd";
    QTest::newRow("unknown entity kept") << "&bogus; & alone"
                                         << "&bogus; & alone";
    QTest::newRow("encoded tag is text") << "&lt;p&gt;"
                                         << "<p>";
    QTest::newRow("bare less-than") << "a < b and c<3"
                                    << "a < b and c<3";
    QTest::newRow("whitespace collapses") << "  a \n\t b  "
                                          << "a b";
    QTest::newRow("quoted > in attribute") << "<a title=\"x > y\" href='z'>link</a>"
                                           << "link";
    QTest::newRow("unclosed tag") << "text <p class="
                                  << "text";
    QTest::newRow("table rows") << "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
                                << "a b\nc";
    // The reader keeps no stack of open elements, so nesting depth costs
    // nothing: 100,000 nested elements, closed or not, are plain text.
    QTest::newRow("100,000 nested divs") << QStringLiteral("<div>").repeated(100000) + "deep" +
                                                QStringLiteral("</div>").repeated(100000)
                                         << "deep";
    QTest::newRow("100,000 unclosed spans") << QStringLiteral("<span>").repeated(100000) + "x"
                                            << "x";
    QTest::newRow("100,000 unclosed comments")
        << "a" + QStringLiteral("<!--").repeated(100000) << "a";
}

void TestHtmlText::toPlainText()
{
    QFETCH(QString, html);
    QFETCH(QString, expected);
    QCOMPARE(HtmlText::toPlainText(html), expected);
}

void TestHtmlText::hugeInputIsLinear()
{
    // Many unclosed '<' and '&' must not make the parser quadratic. Judged by
    // how time grows with size (4x the input: ~4x the time if linear, ~16x if
    // quadratic), each the best of two runs, not by a wall-clock limit that a
    // loaded machine would break.
    auto bestOf2 = [](int repeats) {
        QString hostile;
        for (int i = 0; i < repeats; ++i)
            hostile += QStringLiteral("<p>x &amp y <");
        qint64 best = std::numeric_limits<qint64>::max();
        for (int run = 0; run < 2; ++run) {
            QElapsedTimer timer;
            timer.start();
            const QString text = HtmlText::toPlainText(hostile);
            best = std::min(best, timer.nsecsElapsed());
            if (text.isEmpty())
                return qint64(-1);
        }
        return best;
    };
    const qint64 small = bestOf2(10000);
    const qint64 large = bestOf2(40000);
    QVERIFY(small > 0 && large > 0);
    const double ratio = double(large) / double(small);
    qInfo("10k repeats %.1f ms, 40k repeats %.1f ms: x%.1f", small / 1e6, large / 1e6, ratio);
    QVERIFY2(ratio < 10, qPrintable(QStringLiteral("4x the input took x%1 the time").arg(ratio)));
}

QTEST_GUILESS_MAIN(TestHtmlText)
#include "tst_htmltext.moc"
