#include "backend/logging/LogText.h"

#include <array>
#include <ctime>

namespace querydeck {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD

void append(spdlog::memory_buf_t& dest, std::string_view text)
{
    dest.append(text.data(), text.data() + text.size());
}

void appendDigits(spdlog::memory_buf_t& dest, int value, int width)
{
    std::array<char, 8> digits{};
    for (int i = width - 1; i >= 0; --i, value /= 10)
        digits[static_cast<std::size_t>(i)] = char('0' + value % 10);
    dest.append(digits.data(), digits.data() + width);
}

// Length of the well-formed UTF-8 sequence starting at text[i], or 0 when it
// is not well formed; `invalidLength` then receives the length of the maximal
// subpart to replace with one U+FFFD (Unicode 15, section 3.9, U+FFFD
// substitution of maximal subparts).
std::size_t utf8Sequence(std::string_view text, std::size_t i, std::size_t& invalidLength)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t need = 0;
    unsigned char low = 0x80, high = 0xBF; // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        need = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        need = 2;
        if (lead == 0xE0)
            low = 0xA0; // overlong
        if (lead == 0xED)
            high = 0x9F; // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        need = 3;
        if (lead == 0xF0)
            low = 0x90; // overlong
        if (lead == 0xF4)
            high = 0x8F; // beyond U+10FFFF
    } else {
        invalidLength = 1;
        return 0;
    }
    for (std::size_t k = 1; k <= need; ++k) {
        const bool ok =
            i + k < text.size() && (k == 1 ? (byte(i + k) >= low && byte(i + k) <= high)
                                           : (byte(i + k) >= 0x80 && byte(i + k) <= 0xBF));
        if (!ok) {
            invalidLength = k;
            return 0;
        }
    }
    return need + 1;
}

// Walks text as UTF-8: runs of printable ASCII that `special` does not claim
// are copied in one go (the common case), other ASCII bytes go to `ascii`,
// valid multi-byte sequences are copied and invalid ones become U+FFFD.
template <typename Special, typename AsciiWriter>
void appendUtf8(std::string_view text, spdlog::memory_buf_t& dest, Special special,
                AsciiWriter ascii)
{
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t run = i;
        while (run < text.size()) {
            const auto c = static_cast<unsigned char>(text[run]);
            if (c < 0x20 || c >= 0x7F || special(c))
                break;
            ++run;
        }
        if (run > i) {
            append(dest, text.substr(i, run - i));
            i = run;
            continue;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ascii(c);
            ++i;
            continue;
        }
        std::size_t invalidLength = 0;
        if (const std::size_t length = utf8Sequence(text, i, invalidLength)) {
            append(dest, text.substr(i, length));
            i += length;
        } else {
            append(dest, kReplacement);
            i += invalidLength;
        }
    }
}

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool isWordChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// RFC 6750 b64token characters.
bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
}

bool matchesWordAt(std::string_view text, std::size_t i, std::string_view word)
{
    if (i + word.size() > text.size())
        return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
        if (lower(text[i + k]) != word[k])
            return false;
    }
    return true;
}

constexpr std::string_view kScheme = "bearer";

// Length of "bearer" at i when it starts a word, else 0.
std::size_t schemeAt(std::string_view text, std::size_t i)
{
    if (i > 0 && isWordChar(text[i - 1]))
        return 0;
    return matchesWordAt(text, i, kScheme) ? kScheme.size() : 0;
}

} // namespace

void LogText::appendTimestamp(std::chrono::system_clock::time_point time,
                              spdlog::memory_buf_t& dest)
{
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    const int millis = static_cast<int>(ms - static_cast<long long>(seconds) * 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    appendDigits(dest, utc.tm_year + 1900, 4);
    dest.push_back('-');
    appendDigits(dest, utc.tm_mon + 1, 2);
    dest.push_back('-');
    appendDigits(dest, utc.tm_mday, 2);
    dest.push_back('T');
    appendDigits(dest, utc.tm_hour, 2);
    dest.push_back(':');
    appendDigits(dest, utc.tm_min, 2);
    dest.push_back(':');
    appendDigits(dest, utc.tm_sec, 2);
    dest.push_back('.');
    appendDigits(dest, millis, 3);
    dest.push_back('Z');
}

void LogText::appendJsonString(std::string_view text, spdlog::memory_buf_t& dest)
{
    dest.push_back('"');
    const auto special = [](unsigned char c) { return c == '"' || c == '\\'; };
    appendUtf8(text, dest, special, [&dest](unsigned char c) {
        switch (c) {
        case '"':
            append(dest, "\\\"");
            return;
        case '\\':
            append(dest, "\\\\");
            return;
        case '\n':
            append(dest, "\\n");
            return;
        case '\r':
            append(dest, "\\r");
            return;
        case '\t':
            append(dest, "\\t");
            return;
        case '\b':
            append(dest, "\\b");
            return;
        case '\f':
            append(dest, "\\f");
            return;
        default:
            break;
        }
        if (c < 0x20 || c == 0x7F) {
            const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
            dest.append(escaped, escaped + sizeof escaped);
        } else {
            dest.push_back(char(c));
        }
    });
    dest.push_back('"');
}

void LogText::appendPlainText(std::string_view text, spdlog::memory_buf_t& dest)
{
    appendUtf8(
        text, dest, [](unsigned char) { return false; },
        [&dest](unsigned char c) {
            switch (c) {
            case '\n':
                append(dest, "\\n");
                return;
            case '\r':
                append(dest, "\\r");
                return;
            case '\t':
                append(dest, "\\t");
                return;
            default:
                break;
            }
            if (c < 0x20 || c == 0x7F) {
                const char escaped[] = {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
                dest.append(escaped, escaped + sizeof escaped);
            } else {
                dest.push_back(char(c));
            }
        });
}

bool LogText::mayContainSecret(std::string_view text)
{
    for (std::size_t i = 0; i + kScheme.size() <= text.size(); ++i) {
        if (lower(text[i]) == 'b' && schemeAt(text, i) != 0)
            return true;
    }
    return false;
}

std::string LogText::redactSecrets(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (const std::size_t schemeLength = lower(text[i]) == 'b' ? schemeAt(text, i) : 0) {
            std::size_t tokenStart = i + schemeLength;
            while (tokenStart < text.size() &&
                   (text[tokenStart] == ' ' || text[tokenStart] == '\t'))
                ++tokenStart;
            std::size_t tokenEnd = tokenStart;
            while (tokenEnd < text.size() && isTokenChar(text[tokenEnd]))
                ++tokenEnd;
            if (tokenStart > i + schemeLength && tokenEnd > tokenStart) {
                out.append(text.substr(i, tokenStart - i));
                out.append(kRedacted);
                i = tokenEnd;
                continue;
            }
        }
        out.push_back(text[i]);
        ++i;
    }
    return out;
}

std::string_view LogText::safePayload(std::string_view payload, std::string& storage)
{
    if (!mayContainSecret(payload))
        return payload;
    storage = redactSecrets(payload);
    return storage;
}

} // namespace querydeck
