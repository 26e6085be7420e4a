#pragma once

#include <QString>

namespace querydeck {

// A command-line option's value as a whole number in [min, max]: true and
// *out set, or false and *out untouched (not a number, or out of range). The
// caller words the message, since it knows what the number means ("a port
// number", "a screen number"). Stateless; any thread.
inline bool parseIntegerOption(const QString& text, int min, int max, int* out)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < min || value > max)
        return false;
    *out = value;
    return true;
}

} // namespace querydeck
