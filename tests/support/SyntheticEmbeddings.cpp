#include "SyntheticEmbeddings.h"

#include <algorithm>
#include <cmath>

namespace querydeck {

namespace {

std::vector<float> normalisedFloat(const std::vector<double>& v)
{
    double sum = 0;
    for (double x : v)
        sum += x * x;
    const double norm = std::sqrt(sum);
    std::vector<float> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
        out[i] = float(v[i] / norm);
    return out;
}

} // namespace

SyntheticEmbeddings::SyntheticEmbeddings(unsigned seed)
    : m_rng(seed)
{
}

std::vector<double> SyntheticEmbeddings::gaussian(std::size_t dimension)
{
    std::normal_distribution<double> gauss;
    std::vector<double> v(dimension);
    for (auto& x : v)
        x = gauss(m_rng);
    return v;
}

std::vector<float> SyntheticEmbeddings::unit(int dimension)
{
    return normalisedFloat(gaussian(std::size_t(std::max(1, dimension))));
}

std::vector<float> SyntheticEmbeddings::atCosine(const std::vector<float>& base, double cosine)
{
    std::vector<double> noise = gaussian(base.size());
    double along = 0;
    for (std::size_t i = 0; i < base.size(); ++i)
        along += noise[i] * base[i];
    double sum = 0;
    for (std::size_t i = 0; i < base.size(); ++i) {
        noise[i] -= along * base[i];
        sum += noise[i] * noise[i];
    }
    const double scale = std::sqrt(std::max(0.0, 1 - cosine * cosine)) / std::sqrt(sum);
    std::vector<double> out(base.size());
    for (std::size_t i = 0; i < base.size(); ++i)
        out[i] = cosine * base[i] + scale * noise[i];
    return normalisedFloat(out);
}

double SyntheticEmbeddings::cosine(const std::vector<float>& a, const std::vector<float>& b)
{
    double dot = 0, na = 0, nb = 0;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        dot += double(a[i]) * b[i];
        na += double(a[i]) * a[i];
        nb += double(b[i]) * b[i];
    }
    return dot / std::sqrt(na * nb);
}

} // namespace querydeck
