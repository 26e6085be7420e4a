// Holds one of issue 12's attacks against a service on 127.0.0.1:PORT until
// SIGTERM/SIGINT, for run-bench-attacks.sh to measure latency under it:
//   header N  — N connections that send half a request head and stall
//   body N    — N connections that send a head and part of the body and stall
//   idle N    — N keep-alive connections, each answered once, then idle
//   flood     — one address opening connections as fast as it can
// Connections come from 127.1.x.y, 100 per address (under the default
// per-address limit); connections the server closes (its deadlines) are
// reopened, so the attack stays in place. Prints "ready" once it is.
#include "ClientSockets.h"

#include <QCoreApplication>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <pthread.h>
#include <thread>

using namespace querydeck::test;

int main(int argc, char** argv)
{
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    QCoreApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_attack PORT header|body|idle|flood [N]\n");
        return 2;
    }
    const quint16 port = quint16(std::atoi(argv[1]));
    const QByteArray mode = argv[2];
    const int count = argc > 3 ? std::atoi(argv[3]) : 1000;
    if (!ClientSockets::raiseOpenFileLimit(quint64(count) + 1000)) {
        std::fprintf(stderr, "bench_attack: RLIMIT_NOFILE hard limit below %d\n", count + 1000);
        return 1;
    }

    QByteArray sent;
    if (mode == "header")
        sent = "GET /health HTTP/1.1\r\nHost: x\r\nUser-Ag";
    else if (mode == "body")
        sent = "POST /v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: 4000\r\n\r\n{\"query\":\"stall";
    else if (mode == "idle")
        sent = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    else if (mode != "flood") {
        std::fprintf(stderr, "bench_attack: unknown mode %s\n", mode.constData());
        return 2;
    }

    std::atomic<bool> stop{false};
    std::unique_ptr<ConnectFlood> flood;
    ClientSockets clients;
    std::thread keeper;
    if (mode == "flood") {
        flood = std::make_unique<ConnectFlood>(ClientSockets::sourceAddress(2000), port);
    } else {
        if (const QString error = clients.open(port, count, 100, 0, sent); !error.isEmpty()) {
            std::fprintf(stderr, "bench_attack: %s\n", qPrintable(error));
            return 1;
        }
        keeper = std::thread([&] {
            while (!stop.load()) {
                clients.replaceClosed(port, sent);
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
    }
    std::printf("ready %s %d\n", mode.constData(), mode == "flood" ? 1 : count);
    std::fflush(stdout);

    int signal = 0;
    sigwait(&stopSignals, &signal);
    stop.store(true);
    if (keeper.joinable())
        keeper.join();
    if (flood) {
        flood->stop();
        std::printf("flood connections %llu\n", (unsigned long long)flood->connections());
    }
    return 0;
}
