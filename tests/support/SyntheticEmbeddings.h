#pragma once

#include <random>
#include <vector>

namespace querydeck {

// Deterministic embeddings whose cosine similarities a test controls
// exactly, standing in for a real embedder in cache and index tests.
// Not thread-safe: one instance per thread.
class SyntheticEmbeddings
{
public:
    explicit SyntheticEmbeddings(unsigned seed);

    // A random unit vector (Gaussian direction).
    std::vector<float> unit(int dimension);
    // A unit vector whose cosine with `base` (a unit vector) is `cosine`:
    // cosine * base + sqrt(1 - cosine^2) * (random unit vector orthogonal to base).
    std::vector<float> atCosine(const std::vector<float>& base, double cosine);
    static double cosine(const std::vector<float>& a, const std::vector<float>& b);

private:
    std::vector<double> gaussian(std::size_t dimension);

    std::mt19937_64 m_rng;
};

} // namespace querydeck
