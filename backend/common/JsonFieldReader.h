#pragma once

#include "backend/common/SecretRef.h"

#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>

namespace querydeck {

// Errors and warnings collected while reading one config document.
struct ConfigDiagnostics
{
    QStringList errors;
    QStringList warnings;
};

// Reads typed fields of one JSON object of a config, rule or dashboard file, checks types and
// ranges, and records every problem with its dotted path (`http.port: ...`)
// instead of stopping at the first. A field that is absent keeps the default
// already in `out`; a field that is wrong leaves `out` untouched. Each read*
// returns false only when the field was present and rejected, so callers can
// skip cross-field checks on values that were never read.
//
// Every message has the form "<path>: <problem>", the problem usually
// "must be <expectation>, got <value>". A field is optional unless require()
// asks for it.
//
// Keys that were read are remembered; reportUnknownKeys() turns the rest into
// warnings. Secret fields never echo their value in a message.
//
// Thread rules: a plain value object; use it from one thread.
class JsonFieldReader
{
public:
    // What a string may hold besides printable text.
    enum class Text
    {
        SingleLine, // no control characters: names, titles, URLs
        MultiLine,  // also tabs and line breaks: expressions, descriptions
    };

    JsonFieldReader(QJsonObject object, QString path, ConfigDiagnostics* diagnostics);

    // The child object `key`; absent: an empty section. Not an object: an
    // error and an empty section.
    JsonFieldReader section(const QString& key);

    // One reader per element of the array `key` (paths "key[0]", ...); absent:
    // none. Not an array, more than maxItems, or an element not an object:
    // an error and no readers (so a half-read list never replaces the default).
    // `ok` (optional) is false when the field was present and rejected.
    QList<JsonFieldReader> objectArray(const QString& key, int maxItems, bool* ok = nullptr);
    // List mode for documents whose good parts should still load: one reader
    // per element that is an object. An element that is not is reported by
    // its index path ("rows[1]: must be an object, ...") and skipped; the
    // readers keep their index paths ("rows[2].title"). Absent: none. Not an
    // array, or fewer than minItems or more than maxItems elements: an error
    // and no readers.
    QList<JsonFieldReader> objectEntries(const QString& key, int minItems, int maxItems);

    // Absent: the error "is required" and false. Combine with a read*, which
    // then checks the value.
    bool require(const QString& key);

    bool readInt(const QString& key, int& out, int min, int max);
    bool readInt64(const QString& key, qint64& out, qint64 min, qint64 max);
    // minExclusive: the value must be greater than `min`, not equal to it.
    bool readDouble(const QString& key, double& out, double min, double max,
                    bool minExclusive = false);
    bool readBool(const QString& key, bool& out);
    // null or absent: unset.
    bool readOptionalBool(const QString& key, std::optional<bool>& out);
    // null or absent: unset.
    bool readOptionalDouble(const QString& key, std::optional<double>& out, double min, double max);
    bool readString(const QString& key, QString& out, int maxLength = 4096,
                    Text text = Text::SingleLine);
    // readString that also refuses "" and whitespace only.
    bool readNonEmptyString(const QString& key, QString& out, int maxLength = 4096,
                            Text text = Text::SingleLine);
    bool readEnum(const QString& key, QString& out, const QStringList& allowed);
    // An array of at most maxItems strings (each as readString); errors name
    // the element ("key[2]"). A rejected list leaves `out` untouched.
    bool readStringList(const QString& key, QStringList& out, int maxItems, int maxLength);
    // An http or https URL with a host and no user info.
    bool readUrl(const QString& key, QString& out);
    // {"keychain": "name"} or {"env": "VAR"}; null or absent: unset.
    bool readSecret(const QString& key, SecretRef& out);

    // Marks `key` as known without reading it (sections owned elsewhere).
    void ignore(const QString& key);
    bool has(const QString& key) const;
    QString pathOf(const QString& key) const;
    // An empty key: a problem of this object as a whole (its own path).
    void addError(const QString& key, const QString& problem);
    void addWarning(const QString& key, const QString& problem);

    // Warns about every key of this object that no read*/section/ignore asked for.
    void reportUnknownKeys();

    // For messages: a scalar as compact JSON (strings quoted and escaped,
    // long ones shortened), containers as "an object" / "an array".
    static QString describe(const QJsonValue& value);
    static bool isValidEnvName(const QString& name);

private:
    // readString and readNonEmptyString: the same read, with or without refusing blank text.
    bool readStringField(const QString& key, QString& out, int maxLength, Text text, bool nonEmpty);
    bool fail(const QString& key, const QString& expectation, const QJsonValue& value);
    QList<JsonFieldReader> readObjectArray(const QString& key, int minItems, int maxItems,
                                           bool keepGoodEntries, bool* ok);

    QJsonObject m_object;
    QString m_path;
    ConfigDiagnostics* m_diagnostics;
    QSet<QString> m_known;
};

} // namespace querydeck
