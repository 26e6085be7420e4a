#include "backend/retrieval/ExtractiveGenerator.h"

#include <QRegularExpression>
#include <QSet>
#include <QStringList>
#include <algorithm>
#include <map>

namespace querydeck {

namespace {

constexpr qsizetype kMaxSentenceChars = 400;
constexpr int kMinSentenceWords = 3;

bool isStopWord(const QString& word)
{
    static const QSet<QString> kStop = [] {
        QSet<QString> set;
        for (const char* w : {"a",    "an",   "the",  "i",    "me",    "my",    "we",     "you",
                              "your", "it",   "its",  "is",   "are",   "was",   "were",   "be",
                              "been", "do",   "does", "did",  "can",   "could", "should", "would",
                              "will", "how",  "what", "when", "where", "which", "who",    "why",
                              "to",   "of",   "in",   "on",   "at",    "for",   "from",   "by",
                              "with", "and",  "or",   "this", "that",  "there", "here",   "please",
                              "one",  "some", "any",  "if",   "so",    "as",    "about",  "into",
                              "has",  "have", "had",  "they", "them",  "their", "s",      "t"})
            set.insert(QString::fromLatin1(w));
        return set;
    }();
    return kStop.contains(word);
}

// A crude stemmer: enough for "draining"/"drains"/"drained" to meet "drain".
QString stem(QString word)
{
    for (const char* suffix : {"ing", "ed", "es", "s"}) {
        const auto s = QLatin1StringView(suffix);
        if (word.size() > s.size() + 3 && word.endsWith(s)) {
            word.chop(s.size());
            break;
        }
    }
    return word;
}

QSet<QString> contentWords(const QString& text)
{
    static const QRegularExpression kWord(QStringLiteral("[\\p{L}\\p{N}_]+"));
    QSet<QString> words;
    for (auto it = kWord.globalMatch(text.toLower()); it.hasNext();) {
        const QString word = it.next().captured();
        if (!isStopWord(word))
            words.insert(stem(word));
    }
    return words;
}

int wordCount(const QString& text)
{
    return static_cast<int>(text.split(u' ', Qt::SkipEmptyParts).size());
}

// Inline markdown to plain text: links and images keep their text, emphasis
// and code markers go.
QString stripInline(QString line)
{
    static const QRegularExpression kImageOrLink(QStringLiteral("!?\\[([^\\]]*)\\]\\([^)]*\\)"));
    static const QRegularExpression kEmphasis(QStringLiteral("(\\*{1,3}|_{2,3}|~~|`+)"));
    static const QRegularExpression kSpaces(QStringLiteral("\\s+"));
    line.replace(kImageOrLink, QStringLiteral("\\1"));
    line.replace(kEmphasis, QString());
    line.replace(kSpaces, QStringLiteral(" "));
    return line.trimmed();
}

// Splits a chunk into quotable units: headings, table rules and fence markers
// are dropped; list items and code lines stand alone; paragraph lines are
// joined and then split at sentence ends.
QStringList sentencesOf(const QString& text)
{
    static const QRegularExpression kListMarker(QStringLiteral("^\\s*(?:[-*+]|\\d+[.)])\\s+"));
    static const QRegularExpression kQuote(QStringLiteral("^\\s*(?:>\\s*)+"));
    static const QRegularExpression kTableRule(QStringLiteral("^\\s*\\|?[\\s:|-]+\\|?\\s*$"));
    static const QRegularExpression kSentenceEnd(QStringLiteral("(?<=[.!?])\\s+(?=\\S)"));

    QStringList units;
    QString paragraph;
    auto flush = [&] {
        for (const QString& s : paragraph.split(kSentenceEnd, Qt::SkipEmptyParts))
            units << s.trimmed();
        paragraph.clear();
    };
    const QStringList lines = text.split(u'\n');
    auto isFence = [](const QString& trimmed) {
        return trimmed.startsWith(QStringLiteral("```")) ||
               trimmed.startsWith(QStringLiteral("~~~"));
    };
    // A chunk can start inside a code block: then its first fence closes one.
    // Tell-tale: an odd number of fences, the first bare (closing fences carry
    // no language tag) and preceded by text. That text is a code fragment.
    qsizetype firstFence = -1;
    int fences = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (isFence(lines[i].trimmed())) {
            ++fences;
            if (firstFence < 0)
                firstFence = i;
        }
    }
    qsizetype skipThrough = -1;
    if (fences % 2 == 1 && firstFence > 0) {
        const QString marker = lines[firstFence].trimmed();
        const bool bare = marker == QLatin1String("```") || marker == QLatin1String("~~~");
        const bool textBefore =
            std::any_of(lines.begin(), lines.begin() + firstFence,
                        [](const QString& l) { return !l.trimmed().isEmpty(); });
        if (bare && textBefore)
            skipThrough = firstFence;
    }
    bool inFence = false;
    for (qsizetype index = 0; index < lines.size(); ++index) {
        if (index <= skipThrough)
            continue;
        QString line = lines[index];
        const QString trimmed = line.trimmed();
        if (isFence(trimmed)) {
            flush();
            inFence = !inFence;
            continue;
        }
        if (inFence) {
            if (!trimmed.isEmpty())
                units << trimmed;
            continue;
        }
        if (trimmed.isEmpty() || trimmed.startsWith(u'#') ||
            (trimmed.contains(u'-') && kTableRule.match(trimmed).hasMatch())) {
            flush();
            continue;
        }
        line.remove(kQuote);
        if (kListMarker.match(line).hasMatch()) {
            flush();
            line.remove(kListMarker);
            paragraph = stripInline(line);
            flush();
            continue;
        }
        if (trimmed.startsWith(u'|')) {
            flush();
            units << stripInline(QString(trimmed).replace(u'|', u' '));
            continue;
        }
        paragraph += (paragraph.isEmpty() ? QString() : QStringLiteral(" ")) + stripInline(line);
    }
    flush();
    return units;
}

struct Candidate
{
    QString text;
    double score = 0;
    int chunkRank = 0;
    QString document;
    qsizetype position = 0; // chunk offset, then order within the chunk
    int order = 0;
};

} // namespace

ExtractiveGenerator::ExtractiveGenerator(int maxSentences)
    : m_maxSentences(std::max(1, maxSentences))
{
}

QString ExtractiveGenerator::notFoundAnswer()
{
    return QStringLiteral("I could not find anything relevant in the corpus to answer this "
                          "question. Try rephrasing it with the names of the components or "
                          "panels involved.");
}

QString ExtractiveGenerator::disclaimer()
{
    return QStringLiteral("(Extractive answer: sentences quoted from the sources above; no "
                          "language model was used.)");
}

GenerationResult ExtractiveGenerator::generate(const GenerationRequest& request)
{
    GenerationResult result;
    result.model = name();

    const QSet<QString> queryWords = contentWords(request.query);
    std::vector<Candidate> candidates;
    QSet<QString> seen;
    for (std::size_t rank = 0; rank < request.chunks.size(); ++rank) {
        const auto& retrieved = request.chunks[rank];
        const double chunkWeight = std::clamp(static_cast<double>(retrieved.score), 0.05, 1.0);
        const QStringList units = sentencesOf(retrieved.chunk.text);
        for (int u = 0; u < units.size(); ++u) {
            QString text = units[u];
            // A chunk that starts mid-sentence begins with a fragment.
            if (u == 0 && retrieved.chunk.offset > 0 && !text.isEmpty() && text[0].isLower())
                continue;
            if (wordCount(text) < kMinSentenceWords)
                continue;
            if (text.size() > kMaxSentenceChars)
                text = text.left(kMaxSentenceChars).trimmed() + QStringLiteral("…");
            const QString key = text.toLower();
            if (seen.contains(key)) // overlapping chunks repeat sentences
                continue;
            seen.insert(key);
            const QSet<QString> words = contentWords(text);
            int shared = 0;
            for (const QString& w : queryWords)
                shared += words.contains(w) ? 1 : 0;
            if (shared == 0)
                continue;
            const double coverage = double(shared) / double(queryWords.size());
            candidates.push_back({text, coverage * chunkWeight, static_cast<int>(rank),
                                  retrieved.chunk.document, retrieved.chunk.offset, u});
        }
    }
    if (candidates.empty()) {
        result.answer = notFoundAnswer();
        return result;
    }

    std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
        if (a.score != b.score)
            return a.score > b.score;
        return a.chunkRank < b.chunkRank;
    });
    std::vector<Candidate> picked;
    for (const auto& candidate : candidates) {
        if (static_cast<int>(picked.size()) >= m_maxSentences)
            break;
        // A sentence cut by a chunk boundary is a prefix of its full form.
        const bool contained = std::any_of(picked.begin(), picked.end(), [&](const auto& p) {
            return p.text.contains(candidate.text) || candidate.text.contains(p.text);
        });
        if (!contained)
            picked.push_back(candidate);
    }

    // Sources are numbered by their best sentence; quotes read in document order.
    std::map<QString, int> sourceNumber;
    QStringList sources;
    for (const auto& p : picked) {
        if (!sourceNumber.count(p.document)) {
            sourceNumber[p.document] = static_cast<int>(sources.size()) + 1;
            sources << p.document;
        }
    }
    std::stable_sort(picked.begin(), picked.end(), [&](const auto& a, const auto& b) {
        const int sa = sourceNumber[a.document];
        const int sb = sourceNumber[b.document];
        if (sa != sb)
            return sa < sb;
        if (a.position != b.position)
            return a.position < b.position;
        return a.order < b.order;
    });

    QStringList quoted;
    for (const auto& p : picked) {
        QString sentence = p.text;
        if (!sentence.back().isPunct())
            sentence += u'.';
        quoted << QStringLiteral("%1 [%2]").arg(sentence).arg(sourceNumber[p.document]);
    }
    QStringList lines{quoted.join(u' '), QString(), QStringLiteral("Sources:")};
    for (int i = 0; i < sources.size(); ++i)
        lines << QStringLiteral("[%1] %2").arg(i + 1).arg(sources[i]);
    lines << QString() << disclaimer();
    result.answer = lines.join(u'\n');
    return result;
}

} // namespace querydeck
