// Per-request text work, timed here rather than asserted in unit tests (a
// clock check on a shared machine fails on load, not on code). Each figure is
// printed next to a reference measured in the same run on the same input, so
// the ratio means something on any machine:
//   - QueryNormalizer::normalize (ASCII and Unicode) and ::key (SHA-256), per
//     call, against QString::toLower() of the same question;
//   - HashingEmbedder::embed of a short question, against the same reference;
//   - HtmlText::toPlainText on hostile input (unclosed '<' and '&'): time for
//     4x the input over time for 1x (~4 if linear, ~16 if quadratic).
// Usage: bench_textpaths [iterations=100000]
#include "backend/cache/QueryNormalizer.h"
#include "backend/retrieval/HashingEmbedder.h"
#include "backend/retrieval/HtmlText.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>
#include <limits>

using namespace querydeck;

namespace {

// Best of three rounds of `iterations` calls, in ns per call; `sink` keeps
// the optimiser from dropping the calls.
template <typename Body> double nsPerCall(int iterations, qsizetype& sink, Body&& body)
{
    double best = std::numeric_limits<double>::max();
    for (int round = 0; round < 3; ++round) {
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < iterations; ++i)
            sink += body();
        best = std::min(best, double(timer.nsecsElapsed()) / iterations);
    }
    return best;
}

void row(const char* name, double ns, double referenceNs)
{
    std::printf("%-34s %10.0f ns/call %8.1fx toLower\n", name, ns, ns / referenceNs);
}

qint64 bestHtmlNs(int repeats)
{
    QString hostile;
    for (int i = 0; i < repeats; ++i)
        hostile += QStringLiteral("<p>x &amp y <");
    qint64 best = std::numeric_limits<qint64>::max();
    for (int run = 0; run < 3; ++run) {
        QElapsedTimer timer;
        timer.start();
        const QString text = HtmlText::toPlainText(hostile);
        best = std::min(best, timer.nsecsElapsed());
        if (text.isEmpty())
            std::fprintf(stderr, "bench_textpaths: HtmlText returned nothing\n");
    }
    return best;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int iterations = argc > 1 ? std::max(1, QByteArray(argv[1]).toInt()) : 100000;

    const QString ascii =
        QStringLiteral("How do I scale out the query service when P95 latency is high?");
    const QString unicode = QString::fromUtf8(
        "Wie skaliere ich den Dienst, wenn die Latenz \xe2\x80\x9ehoch\xe2\x80\x9c ist? "
        "\xf0\x9f\x9a\x80");
    const QString question = QStringLiteral("How do I drain a replica before upgrading the node?!");
    const QByteArray ns = "corpus-3f2a";
    const QString normalized = QueryNormalizer::normalize(ascii);
    HashingEmbedder embedder;

    qsizetype sink = 0;
    const double reference = nsPerCall(iterations, sink, [&] { return ascii.toLower().size(); });
    std::printf("text paths, best of 3 x %d calls, one run on this machine\n", iterations);
    std::printf("%-34s %10.0f ns/call %8s\n", "reference: QString::toLower", reference, "1.0x");
    row("QueryNormalizer::normalize ASCII",
        nsPerCall(iterations, sink, [&] { return QueryNormalizer::normalize(ascii).size(); }),
        reference);
    row("QueryNormalizer::normalize Unicode",
        nsPerCall(iterations, sink, [&] { return QueryNormalizer::normalize(unicode).size(); }),
        reference);
    row("QueryNormalizer::key (SHA-256)",
        nsPerCall(iterations, sink, [&] { return QueryNormalizer::key(normalized, ns).size(); }),
        reference);
    row("HashingEmbedder::embed (52 chars)",
        nsPerCall(std::max(1, iterations / 5), sink,
                  [&] { return qsizetype(embedder.embed(question).vector.size()); }),
        reference);

    const qint64 small = bestHtmlNs(10000);
    const qint64 large = bestHtmlNs(40000);
    std::printf("HtmlText hostile input: 10k repeats %.1f ms, 40k repeats %.1f ms: x%.1f "
                "(~4 linear, ~16 quadratic)\n",
                small / 1e6, large / 1e6, double(large) / double(std::max<qint64>(1, small)));
    std::printf("(sink %lld)\n", static_cast<long long>(sink));
    return 0;
}
