#include "YamlPaths.h"

#include <QHash>
#include <QList>
#include <QStringList>

namespace querydeck::test {

namespace {

QString unquote(QString value)
{
    value = value.trimmed();
    if (value.size() >= 2 &&
        (value.startsWith(QLatin1Char('"')) || value.startsWith(QLatin1Char('\''))) &&
        value.endsWith(value.front()))
        return value.mid(1, value.size() - 2);
    return value;
}

int indentOf(const QString& line)
{
    int n = 0;
    while (n < line.size() && line.at(n) == QLatin1Char(' '))
        ++n;
    return n;
}

} // namespace

QMap<QString, QString> YamlPaths::flatten(const QString& text)
{
    struct Frame
    {
        int indent; // children have at least this indent
        QString path;
    };
    QMap<QString, QString> result;
    QList<Frame> stack{{0, QString()}};
    QHash<QString, int> listCounters;
    QString blockPath; // collecting a block scalar
    int blockIndent = -1;
    QStringList blockLines;
    bool folded = false;

    const auto endBlock = [&] {
        if (!blockPath.isEmpty())
            result[blockPath] =
                blockLines.join(folded ? QStringLiteral(" ") : QStringLiteral("\n"));
        blockPath.clear();
        blockLines.clear();
    };

    for (const QString& line : text.split(QLatin1Char('\n'))) {
        const QString trimmed = line.trimmed();
        const int indent = indentOf(line);
        if (!blockPath.isEmpty()) {
            if (trimmed.isEmpty() || indent >= blockIndent) {
                blockLines << trimmed;
                continue;
            }
            endBlock();
        }
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')) ||
            trimmed == QLatin1String("---"))
            continue;
        while (stack.size() > 1 && indent < stack.last().indent)
            stack.removeLast();
        QString base = stack.last().path;
        QString item = trimmed;
        int keyIndent = indent;
        if (item.startsWith(QLatin1String("- ")) || item == QLatin1String("-")) {
            const int index = listCounters[base]++;
            base = QStringLiteral("%1[%2]").arg(base).arg(index);
            item = item.mid(1).trimmed();
            keyIndent = indent + 2;
            stack.append({keyIndent, base});
            if (item == QLatin1String(">-") || item == QLatin1String(">") ||
                item == QLatin1String("|") || item == QLatin1String("|-")) {
                blockPath = base;
                blockIndent = keyIndent;
                folded = item.startsWith(QLatin1Char('>'));
                continue;
            }
            if (!item.contains(QLatin1String(": ")) && !item.endsWith(QLatin1Char(':'))) {
                result[base] = unquote(item);
                continue;
            }
        }
        const qsizetype colon =
            item.endsWith(QLatin1Char(':')) && !item.contains(QLatin1String(": "))
                ? item.size() - 1
                : item.indexOf(QLatin1String(": "));
        if (colon < 0)
            continue; // not in the subset
        const QString key = unquote(item.left(colon));
        const QString value = item.mid(colon + 1).trimmed();
        const QString path = base.isEmpty() ? key : base + QLatin1Char('.') + key;
        if (value.isEmpty()) {
            stack.append({keyIndent + 1, path});
        } else if (value == QLatin1String(">-") || value == QLatin1String(">") ||
                   value == QLatin1String("|") || value == QLatin1String("|-")) {
            blockPath = path;
            blockIndent = keyIndent + 1;
            folded = value.startsWith(QLatin1Char('>'));
        } else {
            result[path] = unquote(value);
        }
    }
    endBlock();
    return result;
}

} // namespace querydeck::test
