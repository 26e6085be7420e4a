#pragma once

#include <cstddef>
#include <cstdint>

namespace querydeck {

// Inner product of two float vectors with the widest SIMD the CPU has,
// chosen once at run time (AVX2+FMA where present, else SSE), so the binary
// stays portable to any x86-64 while using AVX2 where it exists. This is the
// innermost loop of every vector search.
class SimdDot
{
public:
    using Function = float (*)(const float* a, const float* b, std::size_t n);
    // Inner product of int8 vectors (quantised embeddings), exact in int32.
    using Int8Function = std::int32_t (*)(const std::int8_t* a, const std::int8_t* b,
                                          std::size_t n);

    static Function best();
    static Int8Function bestInt8();
    static const char* bestName();
    static float portable(const float* a, const float* b, std::size_t n);
    static std::int32_t portableInt8(const std::int8_t* a, const std::int8_t* b, std::size_t n);
};

} // namespace querydeck
