#include "ClientSockets.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace querydeck::test {

namespace {

// A blocking connect with a send timeout (which connect() honours on Linux),
// then non-blocking for the reads.
int connectSocket(const QHostAddress& source, quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    const int one = 1;
    // The source port is chosen at connect(), per destination: thousands of
    // sockets bound to a few addresses do not run out of ports at bind().
    ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    from.sin_addr.s_addr = htonl(source.toIPv4Address());
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool sendBytes(int fd, const QByteArray& bytes)
{
    qsizetype sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n =
            ::send(fd, bytes.constData() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        sent += n;
    }
    return true;
}

} // namespace

ClientSockets::~ClientSockets()
{
    closeAll();
}

QHostAddress ClientSockets::sourceAddress(int index)
{
    return QHostAddress((127u << 24) | (1u << 16) | (quint32(index / 250) << 8) |
                        quint32(index % 250 + 1));
}

bool ClientSockets::raiseOpenFileLimit(quint64 needed)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_max < needed)
        return false;
    if (limit.rlim_cur >= needed)
        return true;
    limit.rlim_cur = needed;
    return ::setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

int ClientSockets::connectFrom(const QHostAddress& source, quint16 port, const QByteArray& bytes)
{
    const int fd = connectSocket(source, port);
    if (fd >= 0 && !bytes.isEmpty())
        sendBytes(fd, bytes);
    return fd;
}

QString ClientSockets::open(quint16 port, int count, int perAddress, int firstAddress,
                            const QByteArray& bytes)
{
    m_clients.reserve(m_clients.size() + size_t(count));
    for (int i = 0; i < count; ++i) {
        const QHostAddress source = sourceAddress(firstAddress + i / perAddress);
        const int fd = connectSocket(source, port);
        if (fd < 0)
            return QStringLiteral("connection %1 from %2: %3")
                .arg(i)
                .arg(source.toString(), QString::fromLocal8Bit(strerror(errno)));
        if (!bytes.isEmpty() && !sendBytes(fd, bytes)) {
            ::close(fd);
            return QStringLiteral("connection %1: send failed").arg(i);
        }
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        m_clients.push_back({fd, source, {}, false});
    }
    return {};
}

int ClientSockets::replaceClosed(quint16 port, const QByteArray& bytes)
{
    poll();
    int replaced = 0;
    for (Client& c : m_clients) {
        if (!c.closed)
            continue;
        ::close(c.fd);
        c.fd = connectFrom(c.source, port, bytes);
        c.in.clear();
        c.closed = c.fd < 0;
        if (c.fd >= 0) {
            ::fcntl(c.fd, F_SETFL, ::fcntl(c.fd, F_GETFL) | O_NONBLOCK);
            ++replaced;
        }
    }
    return replaced;
}

void ClientSockets::sendAll(const QByteArray& bytes)
{
    for (Client& c : m_clients)
        if (!c.closed)
            ::send(c.fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL);
}

void ClientSockets::poll()
{
    char buffer[4096];
    for (Client& c : m_clients) {
        while (!c.closed) {
            const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
            if (n > 0) {
                if (c.in.size() < 65536)
                    c.in.append(buffer, n);
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            c.closed = true; // 0: FIN; < 0: reset
        }
    }
}

int ClientSockets::closedByServer()
{
    poll();
    return int(std::count_if(m_clients.begin(), m_clients.end(),
                             [](const Client& c) { return c.closed; }));
}

int ClientSockets::answered(QByteArrayView statusLine)
{
    poll();
    return int(std::count_if(m_clients.begin(), m_clients.end(),
                             [&](const Client& c) { return c.in.startsWith(statusLine); }));
}

void ClientSockets::closeAll()
{
    for (Client& c : m_clients)
        if (c.fd >= 0)
            ::close(c.fd);
    m_clients.clear();
}

ConnectFlood::ConnectFlood(QHostAddress source, quint16 port)
{
    m_thread = std::thread([this, source, port] {
        const QByteArray head = "GET /health HTTP/1.1\r\nHost: flood\r\n\r\n";
        while (!m_stop.load(std::memory_order_relaxed)) {
            const int fd = ClientSockets::connectFrom(source, port, head);
            if (fd >= 0) {
                m_connections.fetch_add(1, std::memory_order_relaxed);
                ::close(fd);
            }
        }
    });
}

ConnectFlood::~ConnectFlood()
{
    stop();
}

void ConnectFlood::stop()
{
    m_stop.store(true);
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace querydeck::test
