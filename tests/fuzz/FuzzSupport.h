#pragma once

// Shared by every libFuzzer target in this folder: silence the logs (spdlog
// and Qt's message handler) so a run prints only libFuzzer's own lines, and
// turn the fuzzer's bytes into the types the parsers take. Single-threaded,
// like libFuzzer's loop.

#include <QByteArray>
#include <QString>
#include <QtGlobal>
#include <cstddef>
#include <cstdint>
#include <spdlog/spdlog.h>

namespace querydeck::fuzz {

inline void quiet()
{
    spdlog::set_level(spdlog::level::off);
    qInstallMessageHandler([](QtMsgType, const QMessageLogContext&, const QString&) {});
}

// A view, not a copy: the parsers must not read past `size` (ASan checks it,
// since libFuzzer's buffer ends exactly there).
inline QByteArray bytes(const uint8_t* data, size_t size)
{
    return QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
}

// A copy, for parsers that keep or modify what they get.
inline QByteArray copy(const uint8_t* data, size_t size)
{
    return QByteArray(reinterpret_cast<const char*>(data), qsizetype(size));
}

} // namespace querydeck::fuzz

#define QUERYDECK_FUZZ_QUIET                                                                       \
    extern "C" int LLVMFuzzerInitialize(int*, char***)                                             \
    {                                                                                              \
        querydeck::fuzz::quiet();                                                                  \
        return 0;                                                                                  \
    }
