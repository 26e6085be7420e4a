// Fleet benchmark: throughput through the managed nginx with 1, 2 and 3 local
// replicas against one replica served directly (the reference, same run), on
// the cache-hit path and on the miss path with a fixed-latency generator; and
// the time to add one replica (start → /ready → in the upstream) and to drain
// one. Load by wrk. On the miss path each replica generates 4 at once (the
// default queue.concurrency) for LATENCY_MS each, as a model-bound replica does.
// Usage: bench_fleet [SECONDS=8] [CONNECTIONS=32] [LATENCY_MS=50]
#include "ServeProcess.h"
#include "backend/fleet/LocalReplicaSet.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <cstdio>

using namespace querydeck;
using querydeck::test::ServeProcess;

namespace {

struct WrkResult
{
    double rps = 0;
    qint64 non2xx = 0;
    qint64 errors = 0;
    QString p99;
};

bool waitFor(QObject* sender, const char* signal, int timeoutMs)
{
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, [&] { loop.exit(1); });
    QObject::connect(sender, signal, &loop, SLOT(quit()));
    return loop.exec() == 0;
}

// Scales and returns the milliseconds to scaleFinished(ok), or -1.
qint64 timedScale(LocalReplicaSet& set, int count)
{
    bool ok = false;
    QString error;
    QMetaObject::Connection c =
        QObject::connect(&set, &ReplicaSet::scaleFinished, [&](bool success, const QString& e) {
            ok = success;
            error = e;
        });
    QElapsedTimer timer;
    timer.start();
    set.scale(count);
    const bool finished = waitFor(&set, SIGNAL(scaleFinished(bool, QString)), 120000);
    QObject::disconnect(c);
    if (!finished || !ok) {
        std::fprintf(stderr, "bench_fleet: scale(%d) failed: %s\n", count, qPrintable(error));
        return -1;
    }
    return timer.elapsed();
}

WrkResult runWrk(int port, const QString& script, int seconds, int connections)
{
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::MergedChannels);
    wrk.start(QStringLiteral("wrk"),
              {QStringLiteral("-t2"), QStringLiteral("-c%1").arg(connections),
               QStringLiteral("-d%1s").arg(seconds), QStringLiteral("--latency"),
               QStringLiteral("-s"), script, QStringLiteral("http://127.0.0.1:%1/").arg(port)});
    QEventLoop loop; // keep the replica set's timers running meanwhile
    QObject::connect(&wrk, &QProcess::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const QString out = QString::fromUtf8(wrk.readAll());
    WrkResult result;
    result.rps = QRegularExpression(QStringLiteral("Requests/sec:\\s+([0-9.]+)"))
                     .match(out)
                     .captured(1)
                     .toDouble();
    result.non2xx = QRegularExpression(QStringLiteral("Non-2xx or 3xx responses: (\\d+)"))
                        .match(out)
                        .captured(1)
                        .toLongLong();
    const QRegularExpressionMatch errors =
        QRegularExpression(QStringLiteral("Socket errors: connect (\\d+), read (\\d+), write "
                                          "(\\d+), timeout (\\d+)"))
            .match(out);
    for (int i = 1; i <= 4; ++i)
        result.errors += errors.captured(i).toLongLong();
    result.p99 = QRegularExpression(QStringLiteral("^\\s+99%\\s+(\\S+)"),
                                    QRegularExpression::MultilineOption)
                     .match(out)
                     .captured(1);
    if (result.rps <= 0)
        std::fprintf(stderr, "bench_fleet: wrk said:\n%s\n", qPrintable(out));
    return result;
}

void writeFile(const QString& path, const QByteArray& text)
{
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(text);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int seconds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 8;
    const int connections = argc > 2 ? std::max(1, std::atoi(argv[2])) : 32;
    const int latencyMs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 50;
    QTemporaryDir dir;
    writeFile(dir.filePath("hit.json"), R"({"rate_limit": {"enabled": false}})");
    writeFile(dir.filePath("miss.json"), QStringLiteral(R"({"rate_limit": {"enabled": false},
                  "generator": {"latency": {"enabled": true, "distribution": "fixed", "mean_ms": %1}},
                  "queue": {"concurrency": 4, "capacity": 1024}})")
                                             .arg(latencyMs)
                                             .toUtf8());
    writeFile(dir.filePath("hit.lua"), R"(wrk.method = "POST"
wrk.path = "/v1/query"
wrk.body = '{"query":"how do I drain a replica"}'
wrk.headers["Content-Type"] = "application/json"
)");
    // Nine random words and a number: no two questions are near enough for a
    // semantic hit, so every request takes the generator's fixed latency.
    writeFile(dir.filePath("miss.lua"), R"(local words = {"replica","redis","sentinel","failover",
  "cache","latency","queue","drain","nginx","upstream","alert","threshold","prometheus","metric",
  "panel","dashboard","eviction","memory","cpu","disk","scale","kubernetes","readiness","token"}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
    local q = {}
    for k = 1, 9 do q[#q + 1] = words[math.random(#words)] end
    q[#q + 1] = tostring(math.random(1, 1000000000))
    local body = '{"query":"' .. table.concat(q, " ") .. '"}'
    return wrk.format("POST", "/v1/query", {["Content-Type"] = "application/json"}, body)
end
)");

    std::printf("bench_fleet: %d s per run, %d connections, wrk -t2, %d cores online; miss path "
                "generator latency %d ms fixed\n",
                seconds, connections, QThread::idealThreadCount(), latencyMs);
    for (const char* mode : {"hit", "miss"}) {
        LocalFleetOptions options;
        options.querydeckBinary = QStringLiteral(QUERYDECK_BIN);
        options.runtimeDir = dir.filePath(QString::fromLatin1(mode));
        options.frontPort = ServeProcess::freePortRun(5); // nginx, then replicas 1..4 above it
        if (options.frontPort == 0) {
            std::fprintf(stderr, "bench_fleet: no free ports below 32000\n");
            return 1;
        }
        options.configFile = dir.filePath(QStringLiteral("%1.json").arg(mode));
        options.extraArguments = {QStringLiteral("--log-level"), QStringLiteral("warn")};
        const QString script = dir.filePath(QStringLiteral("%1.lua").arg(mode));
        LocalReplicaSet set(options);
        if (!set.hasFrontDoor()) {
            std::fprintf(stderr, "bench_fleet: nginx not found\n");
            return 1;
        }
        const qint64 first = timedScale(set, 1);
        if (first < 0)
            return 1;
        runWrk(options.replicaPort(1), script, 2, connections); // warm-up, not counted
        const WrkResult direct = runWrk(options.replicaPort(1), script, seconds, connections);
        std::printf("\n[%s path]\n  %-28s %9.0f req/s  p99 %-8s non-2xx %lld  socket errors %lld\n",
                    mode, "1 replica, direct", direct.rps, qPrintable(direct.p99), direct.non2xx,
                    direct.errors);
        double oneThroughNginx = 0;
        for (int n = 1; n <= 3; ++n) {
            if (n > 1) {
                const qint64 ms = timedScale(set, n);
                if (ms < 0)
                    return 1;
                std::printf("  add replica %d (start -> ready -> in upstream): %lld ms\n", n, ms);
            }
            const WrkResult r = runWrk(options.frontPort, script, seconds, connections);
            if (n == 1)
                oneThroughNginx = r.rps;
            std::printf("  %d replica(s) through nginx    %9.0f req/s  p99 %-8s non-2xx %lld  "
                        "socket errors %lld  vs direct %.2fx  scaling efficiency %.0f%%\n",
                        n, r.rps, qPrintable(r.p99), r.non2xx, r.errors,
                        direct.rps > 0 ? r.rps / direct.rps : 0.0,
                        oneThroughNginx > 0 ? 100.0 * r.rps / (n * oneThroughNginx) : 0.0);
        }
        const qint64 drain = timedScale(set, 2);
        std::printf("  drain one replica (3 -> 2, idle): %lld ms\n", drain);
        set.shutdown();
        waitFor(&set, SIGNAL(shutdownFinished()), 60000);
    }
    return 0;
}
