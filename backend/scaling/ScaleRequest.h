#pragma once

#include <QString>

namespace querydeck {

// What the scale wizard's pages collect and the ScaleOperator executes.
struct ScaleRequest
{
    int currentReplicas = 0; // the count the wizard started from (rollback target)
    int targetReplicas = 0;
    QString tier; // "" when a count was typed
    // Dollars, as the plans (the config's console.fleet.price_per_instance_month).
    double pricePerInstanceMonth = 70.0;
    static constexpr double kMaxPricePerInstanceMonth = 100000.0;
    // Local replicas: the first port; replica n listens on basePort + n - 1.
    int basePort = 0;
    qint64 memoryPerReplicaBytes = 512LL * 1024 * 1024;
    double cpuPerReplica = 1.0; // cores
    // What a replica serves queries with, for its measured capacity
    // (FleetAdvisor::capacity): the service's http.threads and queue.concurrency.
    int handlerThreadsPerReplica = 32;
    int generationSlotsPerReplica = 4;
    int verifyWindowMs = 30000;             // how long verification watches traffic and errors
    double errorRateTolerancePercent = 1.0; // allowed rise of the error rate
};

} // namespace querydeck
