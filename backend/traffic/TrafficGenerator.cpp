#include "backend/traffic/TrafficGenerator.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <spdlog/spdlog.h>

namespace querydeck {

namespace {

constexpr int kTickMs = 50;
constexpr int kHistory = 200;
constexpr double kMaxRate = 1000.0;
constexpr int kRequestTimeoutMs = 30000;
constexpr double kClientCycleSeconds = 300.0;

// Word swaps that keep a question's meaning (either direction).
const std::pair<const char*, const char*> kSynonyms[] = {
    {"How do I", "How can I"}, {"What is", "What's"}, {"Why does", "Why would"},
    {"check", "verify"},       {"show", "display"},   {"fix", "repair"},
    {"stop", "halt"},          {"error", "failure"},  {"quickly", "fast"},
    {"big", "large"},
};

} // namespace

TrafficGenerator::TrafficGenerator(QObject* parent)
    : QObject(parent)
    , m_clock([] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    })
{
    setQuestions(loadQuestions());
}

TrafficGenerator::~TrafficGenerator() = default;

QStringList TrafficGenerator::loadQuestions(const QString& path)
{
    QFile file(path);
    QStringList questions;
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        spdlog::warn("[traffic] cannot read questions from {}: {}", path.toStdString(),
                     file.errorString().toStdString());
        return questions;
    }
    // A question list is a few KiB; never load an arbitrary file whole.
    constexpr qint64 kMaxQuestionsBytes = 4 * 1024 * 1024;
    const QByteArray text = file.read(kMaxQuestionsBytes + 1);
    if (text.size() > kMaxQuestionsBytes) {
        spdlog::warn("[traffic] {}: larger than {} bytes; no questions read", path.toStdString(),
                     kMaxQuestionsBytes);
        return questions;
    }
    for (const QByteArray& line : text.split('\n')) {
        const QString question = QString::fromUtf8(line).trimmed();
        if (!question.isEmpty() && !question.startsWith(QLatin1Char('#')))
            questions.append(question);
    }
    return questions;
}

void TrafficGenerator::setQuestions(QStringList questions)
{
    if (questions.isEmpty())
        questions = {QStringLiteral("How do I drain a replica?")}; // never send empty queries
    m_questions = std::move(questions);
    m_order.clear();
    m_asked.clear();
}

void TrafficGenerator::setRate(double perSecond)
{
    m_rate = std::isfinite(perSecond) ? std::clamp(perSecond, 0.0, kMaxRate) : 0.0;
}

void TrafficGenerator::setTarget(const QUrl& target)
{
    m_target = target;
}

void TrafficGenerator::start()
{
    if (m_running)
        return;
    if (!m_network) {
        m_network = new QNetworkAccessManager(this);
        m_tickTimer = new QTimer(this);
        m_tickTimer->setTimerType(Qt::PreciseTimer);
        connect(m_tickTimer, &QTimer::timeout, this, &TrafficGenerator::tick);
        m_statsTimer = new QTimer(this);
        connect(m_statsTimer, &QTimer::timeout, this, &TrafficGenerator::emitStats);
    }
    m_running = true;
    m_due = 0.0;
    m_lastTickMs = m_clock();
    if (!m_sinceStart.isValid())
        m_sinceStart.start();
    m_tickTimer->start(kTickMs);
    m_statsTimer->start(kStatsIntervalMs);
}

void TrafficGenerator::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_tickTimer->stop();
    m_statsTimer->stop();
    emitStats(); // requests still in flight finish and are counted
}

void TrafficGenerator::tick()
{
    // Elapsed time, not the nominal tick, so a late timer does not lower the rate.
    const qint64 now = m_clock();
    m_due += m_rate * double(now - m_lastTickMs) / 1000.0;
    m_lastTickMs = now;
    while (m_due >= 1.0 && m_inFlight < m_maxConcurrent) {
        m_due -= 1.0;
        send();
    }
    if (m_inFlight >= m_maxConcurrent)
        m_due = std::min(m_due, 1.0);
}

void TrafficGenerator::send()
{
    if (!m_target.isValid()) {
        ++m_sent;
        ++m_failed;
        return;
    }
    QUrl url = m_target;
    QString path = url.path();
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/v1/query"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(kRequestTimeoutMs);
    const int client = pickClient();
    if (m_forwardedFor)
        request.setRawHeader("X-Forwarded-For", simulatedAddress(client));
    const QJsonObject body{{QStringLiteral("query"), nextQuestion()},
                           {QStringLiteral("client"), QStringLiteral("traffic-%1").arg(client)}};
    QNetworkReply* reply =
        m_network->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    ++m_sent;
    ++m_inFlight;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        --m_inFlight;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300)
            ++m_ok;
        else
            ++m_failed;
        if (!m_running && m_inFlight == 0)
            emitStats(); // the last answers after stop()
    });
}

QString TrafficGenerator::nextQuestion()
{
    QString question;
    const int roll = randomInt(100);
    if (roll < 50 && !m_asked.isEmpty())
        return m_asked.at(randomInt(int(m_asked.size()))); // verbatim: already in history
    if (roll < 75 && !m_asked.isEmpty())
        question = reword(m_asked.at(randomInt(int(m_asked.size()))));
    else
        question = newQuestion();
    if (m_asked.size() >= kHistory)
        m_asked.removeAt(randomInt(int(m_asked.size())));
    m_asked.append(question);
    return question;
}

QString TrafficGenerator::newQuestion()
{
    if (m_order.isEmpty() && m_asked.size() < m_questions.size()) {
        m_order = m_questions;
        std::shuffle(m_order.begin(), m_order.end(), m_random);
    }
    if (!m_order.isEmpty())
        return m_order.takeLast();
    // The list is used up: splice the start of one question onto the end of
    // another so "new" stays new.
    const QStringList a = m_questions.at(randomInt(int(m_questions.size())))
                              .split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QStringList b = m_questions.at(randomInt(int(m_questions.size())))
                              .split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return (a.mid(0, (a.size() + 1) / 2) + b.mid(b.size() / 2)).join(QLatin1Char(' '));
}

QString TrafficGenerator::reword(const QString& question)
{
    static const QRegularExpression please(QStringLiteral(",? please"),
                                           QRegularExpression::CaseInsensitiveOption);
    for (int attempt = 0; attempt < 8; ++attempt) {
        QString text = question;
        switch (randomInt(5)) {
        case 0: // add or drop a polite word
            if (text.contains(please))
                text.remove(please);
            else if (text.endsWith(QLatin1Char('?')))
                text = text.chopped(1) + QStringLiteral(", please?");
            else
                text += QStringLiteral(" please");
            break;
        case 1: // case
            text = randomInt(2) ? text.toLower() : text.toUpper();
            break;
        case 2: // punctuation
            text = text.endsWith(QLatin1Char('?')) ? text.chopped(1) : text + QLatin1Char('?');
            break;
        case 3: // a synonym, when the question has one
            for (const auto& [left, right] : kSynonyms) {
                const QString l = QString::fromLatin1(left);
                const QString r = QString::fromLatin1(right);
                if (text.contains(l)) {
                    text.replace(l, r);
                    break;
                }
                if (text.contains(r)) {
                    text.replace(r, l);
                    break;
                }
            }
            break;
        default: // extra spacing
            text = QStringLiteral("  ") + text + QLatin1Char(' ');
            break;
        }
        if (text != question)
            return text;
    }
    return question + QStringLiteral(" please");
}

QByteArray TrafficGenerator::simulatedAddress(int client)
{
    return QByteArray("198.18.") + QByteArray::number(client / 256) + '.' +
           QByteArray::number(client % 256);
}

int TrafficGenerator::pickClient()
{
    // The number of clients in use drifts between 5 and kClients.
    const double phase =
        2.0 * std::numbers::pi * double(m_sinceStart.elapsed()) / 1000.0 / kClientCycleSeconds;
    const int active = 5 + int(std::lround((kClients - 5) * (0.5 + 0.5 * std::sin(phase))));
    return 1 + randomInt(active);
}

int TrafficGenerator::randomInt(int below)
{
    return below <= 1 ? 0 : std::uniform_int_distribution<int>(0, below - 1)(m_random);
}

void TrafficGenerator::emitStats()
{
    const quint64 done = m_ok + m_failed;
    if (m_sent == m_reportedSent && done == m_reportedDone)
        return;
    m_reportedSent = m_sent;
    m_reportedDone = done;
    emit stats(m_sent, m_ok, m_failed);
}

} // namespace querydeck
