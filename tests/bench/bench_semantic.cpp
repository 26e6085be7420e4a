// In-process semantic-tier figures at scale: lookup p50/p99, recall@1 of
// HNSW against brute force, insert rate and memory per cached entry.
// Usage: bench_semantic [entries=100000] [queries=2000]
#include "BenchCorpus.h"
#include "backend/cache/MemoryStore.h"
#include "backend/cache/SemanticCache.h"
#include "backend/common/ProcessStats.h"
#include "backend/retrieval/HashingEmbedder.h"
#include "backend/retrieval/SimdDot.h"
#include "backend/retrieval/VectorIndex.h"

#include <QCoreApplication>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

using namespace querydeck;
using SteadyClock = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, std::size_t(p * double(values.size())))];
}

double rssMiB()
{
    const auto stats = ProcessStats::read();
    return stats ? stats->residentBytes / 1048576.0 : 0.0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int entries = argc > 1 ? std::atoi(argv[1]) : 100000;
    const int queries = argc > 2 ? std::atoi(argv[2]) : 2000;
    HashingEmbedder embedder(384);

    // Embeddings first, so the memory figure counts the cache alone.
    std::vector<std::vector<float>> vectors(static_cast<std::size_t>(entries));
    for (int i = 0; i < entries; ++i)
        vectors[std::size_t(i)] = embedder.embed(bench::question(i)).vector;
    const QByteArray payload =
        R"({"answer":"Drain the replica first, then stop it. [1] health-readiness-and-draining.md","sources":[{"document":"health-readiness-and-draining.md","chunk":2,"score":0.61}]})";

    CacheConfig config;
    config.maxBytes = 8LL * 1024 * 1024 * 1024;
    auto store = std::make_shared<MemoryStore>(config.maxBytes);
    const IndexOptions indexOptions = SemanticCache::recommendedIndexOptions();
    SemanticCache cache(store, config, embedder.dimension(), "bench", systemClock(), indexOptions);

    const double rssBefore = rssMiB();
    const auto insertStart = SteadyClock::now();
    for (int i = 0; i < entries; ++i) {
        const CacheLookup miss = cache.lookupExact(bench::question(i));
        cache.insert(miss, vectors[std::size_t(i)], payload);
    }
    const double insertSeconds =
        std::chrono::duration<double>(SteadyClock::now() - insertStart).count();
    const double rssAfter = rssMiB();

    std::mt19937 rng(42);
    std::uniform_int_distribution<int> pick(0, entries - 1);
    std::vector<double> lookupUs, embedUs;
    int semanticHits = 0, rightEntry = 0;
    for (int q = 0; q < queries; ++q) {
        const int i = pick(rng);
        const QString text = bench::reworded(i);
        const CacheLookup exact = cache.lookupExact(text);
        const auto e0 = SteadyClock::now();
        const Embedding embedding = embedder.embed(text);
        const auto t0 = SteadyClock::now();
        const CacheLookup found = cache.lookupSemantic(exact, embedding.vector);
        const auto t1 = SteadyClock::now();
        embedUs.push_back(std::chrono::duration<double, std::micro>(t0 - e0).count());
        lookupUs.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        if (found.tier == CacheTier::Semantic) {
            ++semanticHits;
            if (found.entry && found.entry->key == cache.lookupExact(bench::question(i)).key)
                ++rightEntry;
        }
    }

    // Recall@1 of the HNSW graph against an exact scan, same vectors and settings.
    VectorIndex index(embedder.dimension(), indexOptions);
    for (int i = 0; i < entries; ++i)
        index.add(std::uint64_t(i), vectors[std::size_t(i)]);
    int agree = 0;
    std::vector<double> searchUs;
    for (int q = 0; q < queries; ++q) {
        const std::vector<float> v = embedder.embed(bench::reworded(pick(rng))).vector;
        const auto s0 = SteadyClock::now();
        const auto approx = index.search(v, 1);
        searchUs.push_back(
            std::chrono::duration<double, std::micro>(SteadyClock::now() - s0).count());
        const auto exact = index.searchExact(v, 1);
        agree += (!approx.empty() && !exact.empty() && approx[0].label == exact[0].label) ? 1 : 0;
    }

    const auto stats = cache.storeStats();
    std::printf("semantic tier, %d cached entries, %d queries (reworded cached questions)\n",
                entries, queries);
    std::printf("  insert: %.1f s (%.0f entries/s)\n", insertSeconds, entries / insertSeconds);
    std::printf("  lookup (HNSW + store read): p50 %.1f us  p99 %.1f us\n",
                percentile(lookupUs, 0.5), percentile(lookupUs, 0.99));
    std::printf("  embed (hashing, 384-d):     p50 %.1f us  p99 %.1f us\n",
                percentile(embedUs, 0.5), percentile(embedUs, 0.99));
    std::printf("  semantic hits: %.1f%%, of which the intended entry: %.1f%%\n",
                100.0 * semanticHits / queries,
                semanticHits ? 100.0 * rightEntry / semanticHits : 0.0);
    std::printf(
        "  recall@1 HNSW vs brute force: %.4f (raw HNSW search p50 %.1f us, p99 %.1f us, %s)\n",
        double(agree) / queries, percentile(searchUs, 0.5), percentile(searchUs, 0.99),
        SimdDot::bestName());
    std::printf(
        "  memory: RSS +%.1f MiB for %d entries (%.1f MiB per 100k); store accounts %.1f MiB\n",
        rssAfter - rssBefore, entries, (rssAfter - rssBefore) * 100000.0 / entries,
        double(stats.bytes) / 1048576.0);
    return 0;
}
