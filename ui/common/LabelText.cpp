#include "ui/common/LabelText.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>

namespace querydeck::LabelText {

std::optional<QMap<QString, QString>> parse(const QString& text, QString* error)
{
    static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    QMap<QString, QString> labels;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString item = part.trimmed();
        if (item.isEmpty())
            continue;
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        const QString key = eq > 0 ? item.left(eq).trimmed() : QString();
        if (eq <= 0 || !name.match(key).hasMatch()) {
            *error = QCoreApplication::translate(
                         "LabelText", "\"%1\" is not name=value with a name of letters, digits, _")
                         .arg(item);
            return std::nullopt;
        }
        QString value = item.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) &&
            value.endsWith(QLatin1Char('"')))
            value = value.mid(1, value.size() - 2);
        labels.insert(key, value);
    }
    return labels;
}

QString format(const QMap<QString, QString>& labels)
{
    QStringList parts;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        parts << it.key() + QLatin1Char('=') + it.value();
    return parts.join(QStringLiteral(", "));
}

} // namespace querydeck::LabelText
