#include "backend/alerting/AlertSilenceBook.h"

#include <QUuid>
#include <algorithm>
#include <spdlog/spdlog.h>

namespace querydeck {

void AlertSilenceBook::load()
{
    if (m_path.isEmpty())
        return;
    const AlertSilences::LoadResult loaded = AlertSilences::loadFile(m_path);
    for (const QString& error : loaded.errors)
        spdlog::warn("[alerts] silences {}: {}", m_path.toStdString(), error.toStdString());
    m_silences = loaded.value;
}

QString AlertSilenceBook::add(AlertSilence silence, QString* error)
{
    if (silence.id.isEmpty())
        silence.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QStringList problems = silence.validate();
    if (!problems.isEmpty()) {
        if (error)
            *error = problems.join(QStringLiteral("; "));
        return {};
    }
    m_silences.push_back(silence);
    save();
    return silence.id;
}

bool AlertSilenceBook::expire(const QString& id, qint64 now)
{
    const auto it = std::find_if(m_silences.begin(), m_silences.end(),
                                 [&](const AlertSilence& s) { return s.id == id; });
    if (it == m_silences.end())
        return false;
    // Expiring ends it now (kept until pruned, as Alertmanager shows expired ones).
    it->endsMs = std::min(it->endsMs, now);
    if (it->startsMs >= it->endsMs)
        it->startsMs = it->endsMs - 1;
    save();
    return true;
}

bool AlertSilenceBook::prune(qint64 now)
{
    // Expired silences are kept a day for the record, then dropped.
    constexpr qint64 kKeepExpiredMs = 24LL * 3600 * 1000;
    const auto before = m_silences.size();
    std::erase_if(m_silences,
                  [now](const AlertSilence& s) { return s.endsMs + kKeepExpiredMs < now; });
    if (before == m_silences.size())
        return false;
    save();
    return true;
}

const AlertSilence* AlertSilenceBook::matching(const QMap<QString, QString>& labels,
                                               qint64 now) const
{
    for (const AlertSilence& silence : m_silences) {
        if (silence.matches(labels, now))
            return &silence;
    }
    return nullptr;
}

QList<AlertSilence> AlertSilenceBook::list() const
{
    return QList<AlertSilence>(m_silences.begin(), m_silences.end());
}

void AlertSilenceBook::save()
{
    QString error;
    if (!m_path.isEmpty() && !AlertSilences::saveFile(m_path, m_silences, &error))
        spdlog::error("[alerts] {}", error.toStdString());
}

} // namespace querydeck
