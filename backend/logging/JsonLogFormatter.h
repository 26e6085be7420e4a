#pragma once

#include <spdlog/formatter.h>

namespace querydeck {

// spdlog formatter for JSON lines, one object per record:
//   {"ts":"2026-11-22T13:45:00.123Z","level":"info","logger":"service","msg":"..."}
// The message is escaped as a JSON string (control characters, invalid UTF-8
// replaced) and bearer tokens are masked, so hostile input never breaks the
// line or leaks a credential.
//
// Thread rules: like every spdlog formatter, owned by one sink and called
// under that sink's lock; clone() for another sink.
class JsonLogFormatter final : public spdlog::formatter
{
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;
};

} // namespace querydeck
