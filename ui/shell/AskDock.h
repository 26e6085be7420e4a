#pragma once

#include <QDockWidget>
#include <QElapsedTimer>
#include <QNetworkReply>
#include <QPointer>
#include <QUrl>

class QLabel;
class QLineEdit;
class QListWidget;
class QNetworkAccessManager;

class QPushButton;
class QTextBrowser;

namespace querydeck {

// Ask the service a question over real HTTP (POST <service>/v1/query) and
// show the answer, its sources, the cache result and the latency. Requests
// are asynchronous (QNetworkAccessManager); a new question aborts the one in
// flight. GUI thread only.
class AskDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit AskDock(QWidget* parent = nullptr);

    void setServiceAddress(const QUrl& base); // e.g. http://127.0.0.1:8000
    QUrl serviceAddress() const { return m_base; }
    bool busy() const { return m_reply != nullptr; }

    QLineEdit* questionEdit() const { return m_question; }
    QPushButton* askButton() const { return m_ask; }
    QTextBrowser* answerView() const { return m_answer; }
    QListWidget* sourcesView() const { return m_sources; }
    QLabel* resultLabel() const { return m_result; }

public slots:
    void ask();

signals:
    // cache: "exact", "semantic" or "miss"; error empty on success.
    void answered(const QString& cache, double latencyMs);
    void failed(const QString& error);

private:
    void onFinished(QNetworkReply* reply);
    void showError(const QString& message);

    QUrl m_base;
    QNetworkAccessManager* m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    QElapsedTimer m_elapsed;
    QLineEdit* m_question = nullptr;
    QPushButton* m_ask = nullptr;
    QLabel* m_result = nullptr;
    QTextBrowser* m_answer = nullptr;
    QListWidget* m_sources = nullptr;
};

} // namespace querydeck
