#include "backend/service/FlatJsonObject.h"

namespace querydeck {

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Cursor over the body; every read either advances or reports failure.
struct Cursor
{
    const char* p;
    const char* end;

    void skipSpace()
    {
        while (p != end && isJsonSpace(*p))
            ++p;
    }
    bool eat(char c)
    {
        skipSpace();
        if (p == end || *p != c)
            return false;
        ++p;
        return true;
    }
    // A string with no escapes and no control characters; `out` without quotes.
    bool string(QByteArrayView* out)
    {
        if (!eat('"'))
            return false;
        const char* start = p;
        while (p != end) {
            const auto c = static_cast<unsigned char>(*p);
            if (c == '"') {
                *out = QByteArrayView(start, p - start);
                ++p;
                return true;
            }
            if (c == '\\' || c < 0x20)
                return false;
            ++p;
        }
        return false;
    }
    // 0, or digits without a leading zero; no sign, fraction or exponent.
    bool integer(QByteArrayView* out)
    {
        skipSpace();
        const char* start = p;
        while (p != end && *p >= '0' && *p <= '9')
            ++p;
        const qsizetype length = p - start;
        if (length == 0 || (length > 1 && *start == '0'))
            return false;
        // A fraction or exponent would follow the digits: not ours.
        if (p != end && (*p == '.' || *p == 'e' || *p == 'E'))
            return false;
        *out = QByteArrayView(start, length);
        return true;
    }
};

} // namespace

std::optional<FlatJsonObject::Member> FlatJsonObject::Members::find(QByteArrayView key,
                                                                    bool* duplicate) const
{
    std::optional<Member> found;
    for (int i = 0; i < count; ++i) {
        if (items[i].key != key)
            continue;
        if (found)
            *duplicate = true;
        found = items[i];
    }
    return found;
}

std::optional<FlatJsonObject::Members> FlatJsonObject::read(QByteArrayView body)
{
    Cursor in{body.data(), body.data() + body.size()};
    Members members;
    if (!in.eat('{'))
        return std::nullopt;
    in.skipSpace();
    if (in.p != in.end && *in.p == '}') {
        ++in.p;
    } else {
        for (;;) {
            if (members.count == kMaxMembers)
                return std::nullopt;
            Member& member = members.items[std::size_t(members.count++)];
            if (!in.string(&member.key) || !in.eat(':'))
                return std::nullopt;
            in.skipSpace();
            if (in.p == in.end)
                return std::nullopt;
            member.isString = *in.p == '"';
            if (!(member.isString ? in.string(&member.text) : in.integer(&member.text)))
                return std::nullopt;
            if (in.eat('}'))
                break;
            if (!in.eat(','))
                return std::nullopt;
        }
    }
    in.skipSpace();
    if (in.p != in.end)
        return std::nullopt;
    return members;
}

} // namespace querydeck
