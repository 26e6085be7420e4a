// A query service for load benchmarks: starts the real QueryService on a
// port, pre-fills its cache with N synthetic entries, writes request bodies
// for the exact and semantic hit runs, prints "ready" and serves until
// SIGTERM/SIGINT. Usage: bench_service PORT PREFILL OUTDIR [latency_ms]
// With QD_BENCH_REDIS=redis://host:port/db the cache lives in that Redis.
// QD_BENCH_KEEP_ALIVE_MS, QD_BENCH_IO_THREADS and QD_BENCH_THREADS override
// http.keep_alive_timeout_ms, http.io_threads and http.threads.
#include "BenchCorpus.h"
#include "backend/cache/SemanticCache.h"
#include "backend/retrieval/Embedder.h"
#include "backend/secrets/KeychainSecretStore.h"
#include "backend/service/QueryPipeline.h"
#include "backend/service/QueryService.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <csignal>
#include <cstdio>
#include <pthread.h>
#include <spdlog/spdlog.h>

using namespace querydeck;

namespace {

bool writeBodies(const QString& path, int count, QString (*text)(int))
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    for (int i = 0; i < count; ++i)
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("query"), text(i)}})
                       .toJson(QJsonDocument::Compact) +
                   '\n');
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    QCoreApplication app(argc, argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: bench_service PORT PREFILL OUTDIR [latency_ms]\n");
        return 2;
    }
    spdlog::set_level(spdlog::level::warn);

    ServiceConfig config;
    config.http.port = std::atoi(argv[1]);
    config.http.replicaId = QStringLiteral("bench");
    config.rateLimit.enabled = false;
    config.queue.capacity = 1024;
    // run-bench-attacks.sh: idle keep-alive connections that really stay open.
    if (const int keepAlive = qEnvironmentVariableIntValue("QD_BENCH_KEEP_ALIVE_MS"); keepAlive > 0)
        config.http.keepAliveTimeoutMs = keepAlive;
    // Tuning runs: the I/O and handler thread counts.
    if (const int io = qEnvironmentVariableIntValue("QD_BENCH_IO_THREADS"); io > 0)
        config.http.ioThreads = io;
    if (const int threads = qEnvironmentVariableIntValue("QD_BENCH_THREADS"); threads > 0)
        config.http.threads = threads;
    if (argc > 4 && std::atoi(argv[4]) > 0) {
        config.generator.latency.enabled = true;
        config.generator.latency.meanMs = std::atoi(argv[4]);
        config.queue.concurrency = 64;
    }
    if (const QByteArray redis = qgetenv("QD_BENCH_REDIS"); !redis.isEmpty()) {
        config.cache.redis.url = QString::fromUtf8(redis);
        config.cache.redis.poolSize = config.http.threads;
    }
    const int prefill = std::atoi(argv[2]);
    const QString outDir = QString::fromLocal8Bit(argv[3]);
    config.corpus.indexDir = outDir + QStringLiteral("/index");

    QueryService service(config, std::make_shared<KeychainSecretStore>());
    if (const QString error = service.start(); !error.isEmpty()) {
        std::fprintf(stderr, "bench_service: %s\n", qPrintable(error));
        return 1;
    }
    if (!service.waitUntilReady(std::chrono::minutes(2))) {
        std::fprintf(stderr, "bench_service: not ready: %s\n",
                     qPrintable(service.state().detail()));
        return 1;
    }
    Embedder& embedder = *service.pipeline().parts().embedder;
    SemanticCache& cache = service.cache();
    const QByteArray payload =
        R"({"answer":"Drain the replica first, then stop it. [1] health-readiness-and-draining.md","sources":[{"document":"health-readiness-and-draining.md","chunk":2,"score":0.61}]})";
    for (int i = 0; i < prefill; ++i) {
        const QString text = bench::question(i);
        cache.insert(cache.lookupExact(text), embedder.embed(text).vector, payload);
    }
    const int bodies = std::min(prefill, 2000);
    if (!writeBodies(outDir + QStringLiteral("/exact.jsonl"), bodies, bench::question) ||
        !writeBodies(outDir + QStringLiteral("/semantic.jsonl"), bodies, bench::reworded)) {
        std::fprintf(stderr, "bench_service: cannot write bodies to %s\n", qPrintable(outDir));
        return 1;
    }
    std::printf("ready port=%d entries=%lld\n", service.port(),
                (long long)cache.storeStats().entries);
    std::fflush(stdout);

    int signal = 0;
    sigwait(&stopSignals, &signal);
    service.drain(QStringLiteral("benchmark done"));
    service.waitForIdle(std::chrono::seconds(5));
    service.stop();
    return 0;
}
