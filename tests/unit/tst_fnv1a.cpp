// Fnv1a: the reference FNV-1a 64 vectors, the UTF-16 feed, and the values of
// every caller pinned as they were before the callers shared one
// implementation. Cache labels, stored embeddings and alert fingerprints
// persist: a change here would orphan them.
#include "backend/alerting/WebhookNotifier.h"
#include "backend/cache/SemanticCache.h"
#include "backend/common/Fnv1a.h"
#include "backend/retrieval/HashingEmbedder.h"

#include <QTest>
#include <utility>
#include <vector>

using namespace querydeck;

namespace {

// Evaluated by the compiler: the hash is usable in constant expressions.
static_assert(Fnv1a::hash("") == 0xcbf29ce484222325ull);
static_assert(Fnv1a::hash("a") == 0xaf63dc4c8601ec8cull);
static_assert(Fnv1a().addChar16(u'a').value() == Fnv1a().addByte('a').addByte(0).value());

using Component = std::pair<int, float>;

// SemanticCache's label function is for its subclasses; this one only reads it.
struct LabelOf : SemanticCache
{
    using SemanticCache::defaultLabel;
};

// HashingEmbedder(64), recorded before the embedder used Fnv1a.
const std::vector<Component> kRotatePassword = {
    {3, 0.225274369f},    {4, 0.225274369f},   {5, 0.225274369f},    {9, 0.112637185f},
    {10, -0.225274369f},  {11, 0.0788460299f}, {13, -0.225274369f},  {15, -0.450548738f},
    {17, -0.0337911583f}, {18, 0.225274369f},  {21, 0.225274369f},   {24, 0.191483214f},
    {30, -0.0337911583f}, {31, 0.225274369f},  {37, -0.0675823167f}, {40, 0.225274369f},
    {42, 0.0337911583f},  {46, 0.225274369f},  {48, -0.0675823167f}, {49, -0.0675823167f},
    {50, -0.0337911583f}, {55, -0.112637185f}, {57, 0.225274369f},   {60, -0.225274369f},
    {61, 0.225274369f},   {63, 0.225274369f}};
const std::vector<Component> kUmlauts = {
    {2, -0.114808559f},  {8, 0.114808559f},   {9, 0.114808559f},   {10, 0.229617119f},
    {11, -0.114808559f}, {12, 0.114808559f},  {14, -0.114808559f}, {15, -0.114808559f},
    {19, -0.114808559f}, {20, -0.114808559f}, {21, -0.114808559f}, {25, -0.114808559f},
    {26, -0.114808559f}, {28, -0.114808559f}, {31, 0.229617119f},  {33, -0.114808559f},
    {34, -0.114808559f}, {36, -0.114808559f}, {38, 0.114808559f},  {39, -0.114808559f},
    {42, 0.114808559f},  {43, -0.194387794f}, {46, 0.114808559f},  {47, -0.114808559f},
    {51, -0.459234238f}, {53, 0.114808559f},  {54, 0.114808559f},  {57, 0.574042797f},
    {59, -0.114808559f}};

} // namespace

Q_DECLARE_METATYPE(std::vector<Component>)

class TstFnv1a : public QObject
{
    Q_OBJECT

private slots:
    void referenceVectors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<quint64>("hash");
        QTest::newRow("empty") << QByteArray("") << quint64(0xcbf29ce484222325ull);
        QTest::newRow("a") << QByteArray("a") << quint64(0xaf63dc4c8601ec8cull);
        QTest::newRow("foobar") << QByteArray("foobar") << quint64(0x85944171f73967e8ull);
    }

    void referenceVectors()
    {
        QFETCH(QByteArray, input);
        QFETCH(quint64, hash);
        QCOMPARE(quint64(Fnv1a().addBytes(QByteArrayView(input)).value()), hash);
        QCOMPARE(quint64(Fnv1a::hash(std::string_view(input.constData(), input.size()))), hash);
    }

    void char16FeedsLowByteThenHighByte()
    {
        const char16_t c = u'\u00fc'; // ü: 0xFC, 0x00
        QCOMPARE(Fnv1a().addChar16(c).value(), Fnv1a().addByte(0xfc).addByte(0x00).value());
        const char16_t e = u'\u20ac'; // €: 0xAC, 0x20
        QCOMPARE(Fnv1a().addChar16(e).value(), Fnv1a().addByte(0xac).addByte(0x20).value());
    }

    void semanticCacheLabelsUnchanged()
    {
        QCOMPARE(quint64(LabelOf::defaultLabel("")), quint64(0xcbf29ce484222325ull));
        QCOMPARE(quint64(LabelOf::defaultLabel("foobar")), quint64(0x85944171f73967e8ull));
        QCOMPARE(quint64(LabelOf::defaultLabel(
                     QStringLiteral("what is a semantic cache? \u00fc").toUtf8())),
                 quint64(0x0f966c4d72f30590ull));
    }

    void webhookFingerprintsUnchanged()
    {
        // Each name and value followed by a 0xff separator, names in order.
        const QMap<QString, QString> labels{
            {QStringLiteral("alertname"), QStringLiteral("ReplicaDown")},
            {QStringLiteral("instance"), QStringLiteral("r2")},
            {QStringLiteral("severity"), QStringLiteral("critical")}};
        QCOMPARE(WebhookNotifier::fingerprint(labels), QStringLiteral("afb8a05d076cc3f9"));
        QCOMPARE(WebhookNotifier::fingerprint({}), QStringLiteral("cbf29ce484222325"));
    }

    void hashingEmbedderVectorsUnchanged_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<std::vector<Component>>("expected");
        QTest::newRow("ascii") << QStringLiteral("How do I rotate the Redis password?")
                               << kRotatePassword;
        QTest::newRow("non-ascii")
            << QString::fromUtf8("Wörter über Straßen: 42 naïve façades") << kUmlauts;
    }

    void hashingEmbedderVectorsUnchanged()
    {
        QFETCH(QString, text);
        QFETCH(std::vector<Component>, expected);
        HashingEmbedder embedder(64);
        const Embedding embedding = embedder.embed(text);
        QVERIFY(embedding.ok());
        std::vector<Component> actual;
        for (int i = 0; i < int(embedding.vector.size()); ++i)
            if (embedding.vector[std::size_t(i)] != 0.0f)
                actual.push_back({i, embedding.vector[std::size_t(i)]});
        QCOMPARE(actual.size(), expected.size());
        for (std::size_t i = 0; i < actual.size(); ++i) {
            QCOMPARE(actual[i].first, expected[i].first);
            QVERIFY2(qAbs(actual[i].second - expected[i].second) < 1e-6f,
                     qPrintable(QStringLiteral("component %1: %2, expected %3")
                                    .arg(actual[i].first)
                                    .arg(actual[i].second)
                                    .arg(expected[i].second)));
        }
    }
};

QTEST_GUILESS_MAIN(TstFnv1a)
#include "tst_fnv1a.moc"
