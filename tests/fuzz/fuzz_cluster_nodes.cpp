// CLUSTER NODES replies, and the key-slot hash over the same bytes.
#include "FuzzSupport.h"
#include "backend/redis/ClusterNodes.h"

QUERYDECK_FUZZ_QUIET

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input = querydeck::fuzz::bytes(data, size);
    const querydeck::ClusterNodes nodes = querydeck::ClusterNodes::parse(input);
    for (const querydeck::ClusterNode& node : nodes.nodes) {
        node.slotCount();
        nodes.byId(node.id);
        nodes.replicasOf(node.id);
    }
    const int slot = querydeck::ClusterNodes::keySlot(input);
    if (slot < 0 || slot >= querydeck::ClusterNodes::kSlots)
        __builtin_trap();
    return 0;
}
