#include "backend/retrieval/SimdDot.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define QUERYDECK_X86 1
#endif

namespace querydeck {

float SimdDot::portable(const float* a, const float* b, std::size_t n)
{
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; ++i)
        s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

std::int32_t SimdDot::portableInt8(const std::int8_t* a, const std::int8_t* b, std::size_t n)
{
    std::int32_t sum = 0;
    for (std::size_t i = 0; i < n; ++i)
        sum += std::int32_t(a[i]) * std::int32_t(b[i]);
    return sum;
}

#ifdef QUERYDECK_X86
namespace {

__attribute__((target("avx2"))) std::int32_t dotInt8Avx2(const std::int8_t* a, const std::int8_t* b,
                                                         std::size_t n)
{
    // Widen 16 int8 lanes to int16, multiply-add pairs into int32 lanes.
    __m256i acc = _mm256_setzero_si256();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256i va =
            _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
        const __m256i vb =
            _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i)));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(va, vb));
    }
    __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    sum = _mm_hadd_epi32(sum, sum);
    sum = _mm_hadd_epi32(sum, sum);
    std::int32_t result = _mm_cvtsi128_si32(sum);
    for (; i < n; ++i)
        result += std::int32_t(a[i]) * std::int32_t(b[i]);
    return result;
}

__attribute__((target("avx2,fma"))) float dotAvx2(const float* a, const float* b, std::size_t n)
{
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
    }
    for (; i + 8 <= n; i += 8)
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    const __m256 acc = _mm256_add_ps(acc0, acc1);
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    sum = _mm_hadd_ps(sum, sum);
    sum = _mm_hadd_ps(sum, sum);
    float result = _mm_cvtss_f32(sum);
    for (; i < n; ++i)
        result += a[i] * b[i];
    return result;
}

float dotSse(const float* a, const float* b, std::size_t n)
{
    __m128 acc0 = _mm_setzero_ps();
    __m128 acc1 = _mm_setzero_ps();
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        acc0 = _mm_add_ps(acc0, _mm_mul_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i)));
        acc1 = _mm_add_ps(acc1, _mm_mul_ps(_mm_loadu_ps(a + i + 4), _mm_loadu_ps(b + i + 4)));
    }
    alignas(16) float lanes[4];
    _mm_store_ps(lanes, _mm_add_ps(acc0, acc1));
    float result = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    for (; i < n; ++i)
        result += a[i] * b[i];
    return result;
}

bool hasAvx2()
{
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return has;
}

} // namespace
#endif

SimdDot::Function SimdDot::best()
{
#ifdef QUERYDECK_X86
    return hasAvx2() ? &dotAvx2 : &dotSse;
#else
    return &portable;
#endif
}

SimdDot::Int8Function SimdDot::bestInt8()
{
#ifdef QUERYDECK_X86
    return hasAvx2() ? &dotInt8Avx2 : &portableInt8;
#else
    return &portableInt8;
#endif
}

const char* SimdDot::bestName()
{
#ifdef QUERYDECK_X86
    return hasAvx2() ? "avx2+fma" : "sse";
#else
    return "portable";
#endif
}

} // namespace querydeck
