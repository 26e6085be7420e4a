#include "ui/shell/AskDock.h"

#include "backend/common/BoundedJson.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace querydeck {

namespace {
constexpr int kTimeoutMs = 60000;
constexpr int kMaxQuestion = 4000; // the service's own limit
// An answer is a few KiB of text and sources; anything near this is not our service.
constexpr qint64 kMaxReplyBytes = 4 * 1024 * 1024;
constexpr char kTooLarge[] = "querydeckTooLarge";
} // namespace

AskDock::AskDock(QWidget* parent)
    : QDockWidget(tr("Ask"), parent)
{
    setObjectName(QStringLiteral("askDock"));
    m_network = new QNetworkAccessManager(this);

    auto* host = new QWidget(this);
    m_question = new QLineEdit(host);
    m_question->setObjectName(QStringLiteral("question"));
    m_question->setPlaceholderText(tr("Ask the runbooks, e.g. How do I drain a replica?"));
    m_question->setMaxLength(kMaxQuestion);
    m_question->setClearButtonEnabled(true);
    m_question->setAccessibleName(tr("Question"));
    m_ask = new QPushButton(tr("&Ask"), host);
    m_ask->setObjectName(QStringLiteral("askButton"));
    m_ask->setDefault(true);
    m_result = new QLabel(tr("Not asked yet"), host);
    m_result->setObjectName(QStringLiteral("askResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_answer = new QTextBrowser(host);
    m_answer->setObjectName(QStringLiteral("answer"));
    m_answer->setOpenExternalLinks(false);
    m_answer->setAccessibleName(tr("Answer"));
    m_sources = new QListWidget(host);
    m_sources->setObjectName(QStringLiteral("sources"));
    m_sources->setAccessibleName(tr("Sources"));
    m_sources->setMaximumHeight(110);

    auto* line = new QHBoxLayout;
    line->addWidget(m_question, 1);
    line->addWidget(m_ask);
    auto* layout = new QVBoxLayout(host);
    layout->addLayout(line);
    layout->addWidget(m_result);
    layout->addWidget(m_answer, 1);
    auto* sourcesLabel = new QLabel(tr("&Sources"), host);
    sourcesLabel->setBuddy(m_sources);
    layout->addWidget(sourcesLabel);
    layout->addWidget(m_sources);
    setWidget(host);
    setTabOrder(m_question, m_ask);
    setTabOrder(m_ask, m_answer);
    setTabOrder(m_answer, m_sources);

    connect(m_question, &QLineEdit::returnPressed, this, &AskDock::ask);
    connect(m_ask, &QPushButton::clicked, this, &AskDock::ask);
}

void AskDock::setServiceAddress(const QUrl& base)
{
    m_base = base;
}

void AskDock::ask()
{
    const QString question = m_question->text().trimmed();
    if (question.isEmpty()) {
        showError(tr("Type a question first."));
        return;
    }
    if (!m_base.isValid() || m_base.isEmpty()) {
        showError(tr("The query service is not running (no address)."));
        return;
    }
    if (m_reply) {
        QNetworkReply* old = m_reply;
        m_reply = nullptr; // its finished() must not touch the new request's view
        old->abort();
    }
    QUrl url = m_base;
    url.setPath(url.path().endsWith(QLatin1Char('/')) ? url.path() + QStringLiteral("v1/query")
                                                      : url.path() + QStringLiteral("/v1/query"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(kTimeoutMs);
    const QJsonObject body{{QStringLiteral("query"), question},
                           {QStringLiteral("client"), QStringLiteral("querydeck-console")}};
    m_elapsed.start();
    QNetworkReply* reply =
        m_network->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFinished(reply); });
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64 total) {
        if (received > kMaxReplyBytes || total > kMaxReplyBytes) {
            reply->setProperty(kTooLarge, true);
            reply->abort();
        }
    });
    m_result->setText(tr("Asking %1 …").arg(url.toString()));
    m_result->setStyleSheet(QString());
}

void AskDock::showError(const QString& message)
{
    m_result->setText(tr("Error: %1").arg(message));
    m_result->setStyleSheet(QStringLiteral("QLabel { color: #f2495c; font-weight: bold; }"));
    emit failed(message);
}

void AskDock::onFinished(QNetworkReply* reply)
{
    reply->deleteLater();
    if (reply != m_reply)
        return; // superseded by a newer question
    m_reply = nullptr;
    const double clientMs = double(m_elapsed.nsecsElapsed()) / 1e6;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->read(kMaxReplyBytes + 1);
    const BoundedJson::Result parsed =
        BoundedJson::parse(bytes, BoundedJson::replyLimits(kMaxReplyBytes), QString());
    const QJsonDocument& doc = parsed.document;
    const QJsonObject json = doc.object();

    if (bytes.size() > kMaxReplyBytes || reply->property(kTooLarge).toBool()) {
        showError(tr("the service's answer is over %1 bytes").arg(kMaxReplyBytes));
        return;
    }
    if (reply->error() != QNetworkReply::NoError && status == 0) {
        showError(reply->errorString());
        return;
    }
    if (status != 200) {
        const QJsonObject error = json.value(QStringLiteral("error")).toObject();
        const QString message = error.value(QStringLiteral("message")).toString();
        const QString code = error.value(QStringLiteral("code")).toString();
        showError(message.isEmpty() ? tr("HTTP %1 from the service").arg(status)
                                    : tr("HTTP %1 %2: %3").arg(status).arg(code, message));
        return;
    }
    if (!parsed.ok() || !doc.isObject()) {
        showError(tr("the service's answer is not a JSON object (%1)")
                      .arg(parsed.ok()
                               ? tr("got %1").arg(doc.isArray() ? tr("an array") : tr("a scalar"))
                               : parsed.detail));
        return;
    }
    const QJsonValue answer = json.value(QStringLiteral("answer"));
    if (!answer.isString()) {
        showError(tr("the service's answer has no \"answer\" text"));
        return;
    }
    m_answer->setPlainText(answer.toString());
    m_sources->clear();
    for (const QJsonValue& v : json.value(QStringLiteral("sources")).toArray()) {
        const QJsonObject s = v.toObject();
        m_sources->addItem(tr("%1 — chunk %2 — score %3")
                               .arg(s.value(QStringLiteral("document")).toString())
                               .arg(s.value(QStringLiteral("chunk")).toInt())
                               .arg(s.value(QStringLiteral("score")).toDouble(), 0, 'f', 2));
    }
    const QString cache = json.value(QStringLiteral("cache")).toString(QStringLiteral("?"));
    const QJsonValue latency = json.value(QStringLiteral("latency_ms"));
    const double serverMs = latency.isDouble() ? latency.toDouble() : clientMs;
    QString text = tr("Cache: %1").arg(cache);
    const QJsonValue similarity = json.value(QStringLiteral("similarity"));
    if (similarity.isDouble())
        text += tr(" (similarity %1)").arg(similarity.toDouble(), 0, 'f', 3);
    text +=
        tr(" · latency %1 ms (round trip %2 ms)").arg(serverMs, 0, 'f', 1).arg(clientMs, 0, 'f', 1);
    const QString replica = json.value(QStringLiteral("replica")).toString();
    if (!replica.isEmpty())
        text += tr(" · replica %1").arg(replica);
    m_result->setText(text);
    m_result->setStyleSheet(QString());
    emit answered(cache, serverMs);
}

} // namespace querydeck
