#include "backend/retrieval/HashingEmbedder.h"

#include "backend/common/Fnv1a.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace querydeck {

namespace {

// Part of the vector space: changing any weight, the stop list or the hashing
// means bumping the version in id() so persisted indexes are rebuilt.
constexpr float kWordWeight = 1.0f;
constexpr float kGramWeight = 0.5f;
constexpr float kStopWordScale = 0.15f;
constexpr float kQuestionWordScale = 0.5f;

// FNV-1a mixes its last input poorly into the low bits; finish with the
// splitmix64 finaliser before taking bucket and sign.
inline std::uint64_t finish(std::uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h;
}

std::uint64_t wordHash(QStringView word)
{
    Fnv1a h;
    h.addChar16(u'w');
    for (QChar c : word)
        h.addChar16(c.unicode());
    return h.value();
}

// Looked up by the word's unigram hash, which embed() computes anyway: a set of
// QStrings would cost an allocation per word on the hot path.
bool isQuestionWordHash(std::uint64_t h)
{
    // "How" and "why" ask different questions about the same thing: they
    // count, but less than content words.
    static const std::vector<std::uint64_t> kQuestion = [] {
        std::vector<std::uint64_t> hashes;
        for (const char* w : {"how", "what", "when", "where", "which", "who", "whom", "why"})
            hashes.push_back(wordHash(QString::fromLatin1(w)));
        std::sort(hashes.begin(), hashes.end());
        return hashes;
    }();
    return std::binary_search(kQuestion.begin(), kQuestion.end(), h);
}

bool isStopWordHash(std::uint64_t h)
{
    static const std::vector<std::uint64_t> kStop = [] {
        std::vector<std::uint64_t> hashes;
        for (const char* w :
             {"a",     "an",    "the",   "i",     "me",     "my",    "we",    "our",    "you",
              "your",  "it",    "its",   "is",    "are",    "was",   "were",  "be",     "been",
              "being", "am",    "do",    "does",  "did",    "can",   "could", "should", "would",
              "will",  "shall", "may",   "might", "must",   "to",    "of",    "in",     "on",
              "at",    "for",   "from",  "by",    "with",   "and",   "or",    "this",   "that",
              "these", "those", "there", "here",  "please", "one",   "some",  "any",    "if",
              "so",    "as",    "about", "into",  "just",   "also",  "then",  "than",   "has",
              "have",  "had",   "s",     "t",     "its",    "their", "they",  "them",   "he",
              "she",   "his",   "her",   "us",    "very",   "too",   "ok",    "okay",   "hi",
              "hello"})
            hashes.push_back(wordHash(QString::fromLatin1(w)));
        std::sort(hashes.begin(), hashes.end());
        return hashes;
    }();
    return std::binary_search(kStop.begin(), kStop.end(), h);
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c.isSurrogate() || c.isMark();
}

// 1 + ln(tf), tabulated: embed() is on the query hot path.
float sublinear(std::size_t tf)
{
    static const auto kTable = [] {
        std::array<float, 64> table{};
        for (std::size_t i = 1; i < table.size(); ++i)
            table[i] = 1.0f + std::log(static_cast<float>(i));
        return table;
    }();
    return tf < kTable.size() ? kTable[tf] : 1.0f + std::log(static_cast<float>(tf));
}

struct Feature
{
    std::uint64_t hash;
    float weight;
};

void addWord(QStringView word, std::vector<Feature>& features)
{
    const std::uint64_t h = wordHash(word);
    const float scale = isStopWordHash(h)       ? kStopWordScale
                        : isQuestionWordHash(h) ? kQuestionWordScale
                                                : 1.0f;
    features.push_back({finish(h), kWordWeight * scale});

    // 3-grams of "<word>": the markers make prefixes and suffixes distinct.
    const qsizetype len = word.size() + 2;
    auto at = [&](qsizetype i) -> char16_t {
        if (i == 0)
            return u'<';
        if (i == len - 1)
            return u'>';
        return word[i - 1].unicode();
    };
    for (qsizetype i = 0; i + 3 <= len; ++i) {
        const std::uint64_t g = Fnv1a()
                                    .addChar16(u'g')
                                    .addChar16(at(i))
                                    .addChar16(at(i + 1))
                                    .addChar16(at(i + 2))
                                    .value();
        features.push_back({finish(g), kGramWeight * scale});
    }
}

} // namespace

HashingEmbedder::HashingEmbedder(int dimension)
    : m_dimension(dimension)
{
    if (dimension < 1)
        throw std::invalid_argument("HashingEmbedder: dimension must be positive");
}

QString HashingEmbedder::id() const
{
    return QStringLiteral("hashing-v1-%1").arg(m_dimension);
}

Embedding HashingEmbedder::embed(const QString& text)
{
    Embedding result;
    if (text.trimmed().isEmpty()) {
        result.error = QStringLiteral("cannot embed empty or whitespace-only text");
        return result;
    }
    const QString lower = text.toLower();
    std::vector<Feature> features;
    features.reserve(static_cast<std::size_t>(lower.size()) * 2 + 8);
    const qsizetype n = lower.size();
    for (qsizetype i = 0; i < n;) {
        if (!isWordChar(lower[i])) {
            ++i;
            continue;
        }
        qsizetype end = i;
        while (end < n && isWordChar(lower[end]))
            ++end;
        addWord(QStringView(lower).mid(i, end - i), features);
        i = end;
    }
    if (features.empty()) {
        result.error = QStringLiteral("cannot embed text without letters or digits");
        return result;
    }

    std::sort(features.begin(), features.end(),
              [](const Feature& a, const Feature& b) { return a.hash < b.hash; });
    result.vector.assign(static_cast<std::size_t>(m_dimension), 0.0f);
    const auto dim = static_cast<std::uint64_t>(m_dimension);
    for (std::size_t i = 0; i < features.size();) {
        std::size_t j = i;
        float weight = 0.0f;
        while (j < features.size() && features[j].hash == features[i].hash) {
            weight = std::max(weight, features[j].weight);
            ++j;
        }
        const std::uint64_t h = features[i].hash;
        const float sign = (h >> 63) ? -1.0f : 1.0f;
        result.vector[static_cast<std::size_t>((h & 0x7fffffffffffffffull) % dim)] +=
            sign * weight * sublinear(j - i);
        i = j;
    }

    // Independent partial sums: a single accumulator is a serial dependency
    // chain that dominated the cost of embedding a short query.
    std::array<float, 8> partial{};
    const float* data = result.vector.data();
    const std::size_t size = result.vector.size();
    std::size_t k = 0;
    for (; k + partial.size() <= size; k += partial.size())
        for (std::size_t lane = 0; lane < partial.size(); ++lane)
            partial[lane] += data[k + lane] * data[k + lane];
    for (; k < size; ++k)
        partial[0] += data[k] * data[k];
    double norm = 0.0;
    for (float p : partial)
        norm += p;
    if (norm <= 0.0) { // every feature cancelled out in its bucket
        result.vector.clear();
        result.error = QStringLiteral("text produced a zero vector");
        return result;
    }
    const auto inv = static_cast<float>(1.0 / std::sqrt(norm));
    for (float& v : result.vector)
        v *= inv;
    return result;
}

} // namespace querydeck
