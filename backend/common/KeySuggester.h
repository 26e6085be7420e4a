#pragma once

#include <QSet>
#include <QString>

namespace querydeck {

// Picks the known key an unknown one was probably meant to be, for the
// "(did you mean …?)" hint on unknown-key warnings: the same key up to case,
// '_' and '-', else the closest by edit distance (adjacent swaps count as one
// edit) within a third of the shorter key's length. Ties go to the key that
// sorts first, so the hint does not depend on hash order.
//
// Thread rules: stateless; safe from any thread.
class KeySuggester
{
public:
    // Empty when no known key is close enough.
    static QString suggest(const QString& unknown, const QSet<QString>& known);

    // Optimal string alignment distance: edits plus adjacent swaps ("prot" -> "port" is 1).
    static int editDistance(const QString& a, const QString& b);
};

} // namespace querydeck
