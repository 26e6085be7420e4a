#pragma once

#include <QStringList>

namespace querydeck {

// What a loader of a file or document returns: the value read (defaults
// where something was absent or rejected), every error and every warning,
// each naming where it is ("rules[3].threshold: ..."). Loaders collect all
// problems instead of stopping at the first, so an operator fixes a file in
// one pass. Whether a value with errors may be used is each loader's rule
// (documented at the loader).
//
// Thread rules: a plain value.
template <class T> struct LoadResult
{
    T value;
    QStringList errors;
    QStringList warnings; // unknown keys and other things that were ignored

    bool ok() const { return errors.isEmpty(); }
};

} // namespace querydeck
