#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QString>
#include <QStringList>
#include <optional>

namespace querydeck {

// The files of operator state kept as one JSON object holding one list,
// {"<key>": [...]} (silences, acknowledgements): the checks and file handling
// every such file shares, so each format only parses its entries. Loading is
// bounded (a file over maxBytes is refused, not read whole); saving is atomic
// (QSaveFile). Stateless functions, any thread.
namespace JsonListFile {

// The list under `key`, or nothing with one error naming `key` appended to
// *errors: oversized, not JSON (with the parser's offset), or not {"key": [...]}.
std::optional<QJsonArray> parseList(const QByteArray& json, const QString& key, qsizetype maxBytes,
                                    QStringList* errors);

// The file's first maxBytes + 1 bytes (one more than parseList accepts, so an
// oversized file is reported as such). Nothing for a missing file, and
// nothing with *error ("<path>: cannot read: ...") for an unreadable one.
std::optional<QByteArray> read(const QString& path, qsizetype maxBytes, QString* error);

// Writes `data` atomically; false with *error ("<path>: cannot write: ...").
bool write(const QString& path, const QByteArray& data, QString* error);

// loadFile for a format whose Result has `errors` and whose parse(QByteArray)
// makes a Result: a missing file is an empty Result, not an error.
template <typename Result, typename Parse>
Result load(const QString& path, qsizetype maxBytes, Parse parse)
{
    QString error;
    const std::optional<QByteArray> data = read(path, maxBytes, &error);
    Result result = data ? parse(*data) : Result{};
    if (!error.isEmpty())
        result.errors << error;
    return result;
}

} // namespace JsonListFile

} // namespace querydeck
