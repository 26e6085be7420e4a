#include "backend/retrieval/HtmlText.h"

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
    void hugeHostileInput();
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

void TestHtmlText::hugeHostileInput()
{
    // Many unclosed '<' and '&' are converted, not choked on. How the time
    // grows with the input (linear, not quadratic) is a figure, not a pass or
    // fail on a shared machine: bench_textpaths prints it.
    QString hostile;
    for (int i = 0; i < 40000; ++i)
        hostile += QStringLiteral("<p>x &amp y <");
    const QString text = HtmlText::toPlainText(hostile);
    QVERIFY(!text.isEmpty());
    QVERIFY(text.size() <= hostile.size());
}

QTEST_GUILESS_MAIN(TestHtmlText)
#include "tst_htmltext.moc"
