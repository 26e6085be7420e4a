#pragma once

#include "backend/redis/RedisReply.h"

#include <QByteArrayList>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>

namespace querydeck {

// One asynchronous connection to a Redis server (or Sentinel) for the
// console: hiredis's async API driven by its Qt adapter, so commands never
// block the thread the object lives on (the telemetry thread, or the GUI
// thread for the failover controller). Opens on the first command, with a
// connect timeout; a command without reply within the command timeout
// closes the connection and fails every pending command with "timeout after
// N ms". Each callback is called exactly once (a subscription's for every
// message), except after the object started being destroyed. Do not delete
// the object from inside one of its callbacks: use deleteLater().
// Thread rules: use it only on the thread it lives on.
class RedisAsyncClient : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const RedisReply&)>;

    RedisAsyncClient(QString host, int port, QObject* parent = nullptr);
    ~RedisAsyncClient() override;

    QString host() const { return m_host; }
    int port() const { return m_port; }
    QString address() const { return QStringLiteral("%1:%2").arg(m_host).arg(m_port); }
    void setTimeouts(int connectMs, int commandMs);
    // Sent as AUTH right after connecting; comes from the SecretStore, never a file.
    void setPassword(const QString& password) { m_password = password; }

    bool isOpen() const;
    void command(const QByteArrayList& args, Callback callback);
    // SUBSCRIBE: onMessage gets each ["message", channel, payload] array,
    // then an error when the connection ends.
    void subscribe(const QByteArray& channel, Callback onMessage);
    // Drops the connection; pending callbacks get the error "closed: <why>".
    void close(const QString& why = QStringLiteral("closed by the console"));

signals:
    void connectionLost(const QString& reason);

private:
    struct Connection;
    struct Pending;
    bool open();
    void send(const QByteArrayList& args, Callback callback, bool persistent);
    void forget(const QString& reason);
    void checkTimeouts();

    QString m_host;
    int m_port = 0;
    QString m_password;
    int m_connectTimeoutMs = 2000;
    int m_commandTimeoutMs = 3000;
    std::unique_ptr<Connection> m_connection;
    QTimer m_timeoutTimer;
    QString m_closeReason;
    bool m_destroying = false;
};

} // namespace querydeck
