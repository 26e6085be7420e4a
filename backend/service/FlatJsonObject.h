#pragma once

#include <QByteArrayView>
#include <array>
#include <optional>

namespace querydeck {

// A one-pass reader for the shape nearly every POST /v1/query body has: one
// JSON object whose members are strings without escapes or non-negative
// integers, e.g. {"query":"what is redis?","top_k":4,"client":"web"}.
//
// Why: the exact-hit path is dominated by per-request work, and Qt's JSON
// parser (with the BoundedJson walk before it) was about a tenth of it. This
// reader allocates nothing and returns views into the body.
//
// It is only a fast path: for anything outside that shape (escapes, nested
// values, true/false/null, fractions, exponents, signs, leading zeros, control
// characters, more than kMaxMembers members, bytes after the object) it
// returns nullopt and the caller uses the full parser, which also writes the
// error messages. What it accepts, it reads exactly as QJsonDocument would;
// fuzz_query_request checks that differentially. Expects UTF-8 already
// validated by the caller. Stateless; safe from any thread.
class FlatJsonObject
{
public:
    static constexpr int kMaxMembers = 8;

    struct Member
    {
        QByteArrayView key;  // without quotes
        QByteArrayView text; // a string's bytes without quotes, or a number's digits
        bool isString = false;
    };

    struct Members
    {
        std::array<Member, kMaxMembers> items{};
        int count = 0;

        // The member of that key; nullopt if absent. Sets *duplicate if the
        // key occurs more than once (QJsonObject keeps one of them).
        std::optional<Member> find(QByteArrayView key, bool* duplicate) const;
    };

    static std::optional<Members> read(QByteArrayView body);
};

} // namespace querydeck
