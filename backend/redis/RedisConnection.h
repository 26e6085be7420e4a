#pragma once

#include "backend/redis/RedisAddress.h"
#include "backend/redis/RedisReply.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace querydeck {

// How to reach one Redis server. The password comes from the SecretStore
// and lives only here and in memory; it is never logged or echoed.
struct RedisEndpoint
{
    RedisAddress address;
    QByteArray password; // empty: no AUTH
    int connectTimeoutMs = 500;
    int commandTimeoutMs = 500;
    bool selectDb = true; // false for Sentinel, which has no databases
};

// One synchronous connection to Redis (hiredis), RAII: the context is freed
// with the object. connect() checks it really is a Redis server (AUTH,
// SELECT, PING). A command that gets no reply (timeout, reset, protocol
// error) returns RedisReply::Failed and leaves the connection broken; it is
// then thrown away, never reused.
//
// Thread rules: one thread at a time (the pool hands it out).
class RedisConnection
{
public:
    using Args = std::vector<QByteArray>;

    ~RedisConnection();
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;

    // A ready connection, or nullptr and a message naming the server and
    // what went wrong (refused, timeout, wrong password, not Redis).
    static std::unique_ptr<RedisConnection> connect(const RedisEndpoint& endpoint, QString* error);

    RedisReply command(const Args& args);
    // Pipelining: every command is sent in one write, the replies read in order.
    std::vector<RedisReply> pipeline(const std::vector<Args>& commands);
    // For subscriptions and blocking reads: the next reply, or nullopt when
    // none arrived within timeoutMs (the connection stays usable).
    std::optional<RedisReply> waitReply(int timeoutMs);
    // Sends without reading a reply (SUBSCRIBE, then waitReply()).
    bool send(const Args& args);

    bool isBroken() const { return m_broken; }
    const RedisAddress& address() const { return m_address; }

private:
    struct Context;
    explicit RedisConnection(std::unique_ptr<Context> context, RedisAddress address);
    RedisReply readReply();

    std::unique_ptr<Context> m_context;
    RedisAddress m_address;
    bool m_broken = false;
};

} // namespace querydeck
