#include "backend/common/KeySuggester.h"

#include <QList>
#include <algorithm>
#include <limits>

namespace querydeck {

namespace {

QString normalizedKey(const QString& key)
{
    QString result = key.toLower();
    result.remove(QLatin1Char('_'));
    result.remove(QLatin1Char('-'));
    return result;
}

} // namespace

QString KeySuggester::suggest(const QString& unknown, const QSet<QString>& known)
{
    QString best;
    int bestDistance = std::numeric_limits<int>::max();
    const QString normalized = normalizedKey(unknown);
    for (const QString& candidate : known) {
        if (normalizedKey(candidate) == normalized)
            return candidate;
        const int distance = editDistance(unknown.toLower(), candidate);
        const int allowed = std::max(1, int(std::min(unknown.size(), candidate.size()) / 3));
        if (distance <= allowed &&
            (distance < bestDistance || (distance == bestDistance && candidate < best))) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

int KeySuggester::editDistance(const QString& a, const QString& b)
{
    const qsizetype rows = a.size() + 1;
    const qsizetype cols = b.size() + 1;
    QList<int> d(rows * cols);
    auto at = [&](qsizetype i, qsizetype j) -> int& { return d[i * cols + j]; };
    for (qsizetype i = 0; i < rows; ++i)
        at(i, 0) = int(i);
    for (qsizetype j = 0; j < cols; ++j)
        at(0, j) = int(j);
    for (qsizetype i = 1; i < rows; ++i) {
        for (qsizetype j = 1; j < cols; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
        }
    }
    return at(rows - 1, cols - 1);
}

} // namespace querydeck
