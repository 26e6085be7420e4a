#pragma once

#include <spdlog/formatter.h>

namespace querydeck {

// spdlog formatter for plain text lines:
//   2026-11-22T13:45:00.123Z info [service] message
// Control characters in the message are escaped (\n, \xNN) so a client cannot
// forge extra log lines, invalid UTF-8 is replaced and bearer tokens are masked.
//
// Thread rules: owned by one sink and called under that sink's lock.
class TextLogFormatter final : public spdlog::formatter
{
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;
};

} // namespace querydeck
