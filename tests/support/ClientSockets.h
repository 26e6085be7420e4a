#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <atomic>
#include <thread>
#include <vector>

namespace querydeck::test {

// Many raw client connections for the HTTP hardening tests: plain POSIX
// sockets (a QTcpSocket each would be far too heavy for 10,000), each bound
// to a chosen loopback source address — all of 127.0.0.0/8 is loopback on
// Linux — so per-address limits can be exercised. Used by one thread.
class ClientSockets
{
public:
    ClientSockets() = default;
    ~ClientSockets();
    ClientSockets(const ClientSockets&) = delete;
    ClientSockets& operator=(const ClientSockets&) = delete;

    // Connects `count` more sockets to 127.0.0.1:port, `perAddress` from each
    // source address sourceAddress(firstAddress), sourceAddress(firstAddress + 1)…,
    // and sends `bytes` on each. Returns an error text, empty when all connected.
    QString open(quint16 port, int count, int perAddress, int firstAddress,
                 const QByteArray& bytes = {});
    // Reconnects every socket the server closed, from the same address, and
    // sends `bytes` again: keeps an attack in place. Returns how many.
    int replaceClosed(quint16 port, const QByteArray& bytes);
    // Sends `bytes` on every open socket.
    void sendAll(const QByteArray& bytes);
    // Reads what has arrived; returns how many sockets the server has closed.
    int closedByServer();
    // How many sockets received a response starting with `statusLine`
    // (e.g. "HTTP/1.1 200") so far.
    int answered(QByteArrayView statusLine);
    const QByteArray& received(int i) const { return m_clients[size_t(i)].in; }
    int size() const { return int(m_clients.size()); }
    void closeAll();

    // 127.1.x.y: a loopback address per index, none of them 127.0.0.1.
    static QHostAddress sourceAddress(int index);
    // Raises this process's soft RLIMIT_NOFILE to at least `needed` (up to the
    // hard limit); false when the hard limit is lower.
    static bool raiseOpenFileLimit(quint64 needed);
    // One connection from `source`, `bytes` sent; -1 when it could not connect.
    static int connectFrom(const QHostAddress& source, quint16 port, const QByteArray& bytes);

private:
    struct Client
    {
        int fd = -1;
        QHostAddress source;
        QByteArray in;
        bool closed = false;
    };
    void poll();
    std::vector<Client> m_clients;
};

// One address opening connections as fast as it can (each sends a request
// head and is closed at once), on its own thread until stopped.
class ConnectFlood
{
public:
    ConnectFlood(QHostAddress source, quint16 port);
    ~ConnectFlood();
    void stop();
    quint64 connections() const { return m_connections.load(); }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<quint64> m_connections{0};
    std::thread m_thread;
};

} // namespace querydeck::test
