#pragma once

#include <chrono>
#include <spdlog/common.h>
#include <string>
#include <string_view>

namespace querydeck {

// Byte-level helpers shared by the log formatters: timestamps, escaping of
// untrusted text (a log line must stay one line and valid UTF-8 whatever a
// client sends), and masking of credentials that should never have been
// logged in the first place.
//
// Thread rules: stateless; safe from any thread.
class LogText
{
public:
    // 2026-11-22T13:45:00.123Z (UTC, millisecond precision).
    static void appendTimestamp(std::chrono::system_clock::time_point time,
                                spdlog::memory_buf_t& dest);
    // A JSON string literal, quotes included. Control characters are escaped,
    // invalid UTF-8 becomes U+FFFD (one per maximal invalid subpart).
    static void appendJsonString(std::string_view text, spdlog::memory_buf_t& dest);
    // Text for a plain log line: CR, LF, tab and other control characters are
    // written as \r, \n, \t, \xNN; invalid UTF-8 becomes U+FFFD.
    static void appendPlainText(std::string_view text, spdlog::memory_buf_t& dest);

    // Cheap pre-check for redactSecrets(): false means there is nothing to mask.
    static bool mayContainSecret(std::string_view text);
    // Replaces the token after "Bearer" (any case, as a word, followed by
    // blanks) with [REDACTED]. Errs on the side of masking: in "the bearer of
    // news" the word "of" is masked too.
    static std::string redactSecrets(std::string_view text);

    static constexpr std::string_view kRedacted = "[REDACTED]";

    // The text to write for `payload`: itself, or its redacted copy kept in
    // `storage` (which must outlive the returned view).
    static std::string_view safePayload(std::string_view payload, std::string& storage);
};

} // namespace querydeck
