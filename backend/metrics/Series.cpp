#include "backend/metrics/Series.h"

#include <algorithm>

namespace querydeck {

namespace {

void appendEscaped(QString& out, const QString& value)
{
    for (const QChar c : value) {
        if (c == u'\\')
            out += QLatin1String("\\\\");
        else if (c == u'"')
            out += QLatin1String("\\\"");
        else if (c == u'\n')
            out += QLatin1String("\\n");
        else
            out += c;
    }
}

} // namespace

QString SeriesKey::toString() const
{
    if (labels.isEmpty())
        return name.isEmpty() ? QStringLiteral("{}") : name;
    QString out;
    qsizetype size = name.size() + 2;
    for (const auto& [labelName, value] : labels)
        size += labelName.size() + value.size() + 4;
    out.reserve(size);
    out += name;
    out += u'{';
    bool first = true;
    for (const auto& [labelName, value] : labels) {
        if (!first)
            out += u',';
        first = false;
        out += labelName;
        out += QLatin1String("=\"");
        appendEscaped(out, value);
        out += u'"';
    }
    out += u'}';
    return out;
}

QString SeriesKey::label(const QString& labelName) const
{
    for (const auto& [n, value] : labels) {
        if (n == labelName)
            return value;
    }
    return {};
}

SeriesKey SeriesKey::make(QString name, QList<QPair<QString, QString>> labels)
{
    std::stable_sort(labels.begin(), labels.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    SeriesKey key;
    key.name = std::move(name);
    key.labels = std::move(labels);
    return key;
}

} // namespace querydeck
