#include "redis/RedisReply.h"

namespace querydeck {

QList<QPair<QByteArray, QByteArray>> RedisReply::pairs() const
{
    QList<QPair<QByteArray, QByteArray>> result;
    if (type != Type::Array)
        return result;
    for (qsizetype i = 0; i + 1 < elements.size(); i += 2)
        result.append({elements.at(i).text, elements.at(i + 1).text});
    return result;
}

} // namespace querydeck
