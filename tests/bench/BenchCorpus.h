#pragma once

#include <QString>

namespace querydeck::bench {

// Synthetic operator questions for filling a cache with many distinct
// entries: question(i) is ~14 words drawn deterministically from an
// operations vocabulary; reworded(i) adds a polite word, so it is a different key
// for the exact tier but a near neighbour for the semantic tier.
QString question(int i);
QString reworded(int i);

} // namespace querydeck::bench
