#pragma once

#include <QMap>
#include <QString>
#include <optional>

namespace querydeck {

// Label sets as people type them: "team=search, tier=cache". Shared by the
// threshold wizard's labels field and the silence dialog's matchers.
namespace LabelText {

// Nothing, with *error naming the bad item, for malformed text.
std::optional<QMap<QString, QString>> parse(const QString& text, QString* error);
QString format(const QMap<QString, QString>& labels);

} // namespace LabelText

} // namespace querydeck
