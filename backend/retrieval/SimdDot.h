#pragma once

#include <cstddef>

namespace querydeck {

// Inner product of two float vectors with the widest SIMD the CPU has,
// chosen once at run time (AVX2+FMA where present, else SSE), so the binary
// stays portable to any x86-64 while using AVX2 where it exists. This is the
// innermost loop of every vector search.
class SimdDot
{
public:
    using Function = float (*)(const float* a, const float* b, std::size_t n);

    static Function best();
    static const char* bestName();
    static float portable(const float* a, const float* b, std::size_t n);
};

} // namespace querydeck
