#include "backend/common/JsonFieldReader.h"

#include "backend/common/FieldExpectation.h"
#include "backend/common/KeySuggester.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>
#include <algorithm>
#include <cmath>
#include <limits>

namespace querydeck {

namespace {

// Integers travel as JSON numbers (doubles); beyond 2^53 they lose precision.
constexpr qint64 kMaxExactInteger = qint64(1) << 53;
constexpr int kMaxDescribedChars = 60;

bool isAllowedCharacter(QChar c, JsonFieldReader::Text text)
{
    if (c.category() != QChar::Other_Control)
        return true;
    return text == JsonFieldReader::Text::MultiLine &&
           (c == QLatin1Char('\n') || c == QLatin1Char('\r') || c == QLatin1Char('\t'));
}

bool hasControlCharacters(const QString& text,
                          JsonFieldReader::Text kind = JsonFieldReader::Text::SingleLine)
{
    return !std::all_of(text.cbegin(), text.cend(),
                        [kind](QChar c) { return isAllowedCharacter(c, kind); });
}

// Key names inside a secret reference are echoed only when they look like
// identifiers, so a value pasted in the wrong place does not leak.
bool isPlainIdentifier(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]{1,32}$"));
    return pattern.match(text).hasMatch();
}

} // namespace

JsonFieldReader::JsonFieldReader(QJsonObject object, QString path, ConfigDiagnostics* diagnostics)
    : m_object(std::move(object))
    , m_path(std::move(path))
    , m_diagnostics(diagnostics)
{
}

JsonFieldReader JsonFieldReader::section(const QString& key)
{
    m_known.insert(key);
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return JsonFieldReader({}, pathOf(key), m_diagnostics);
    if (!value.isObject()) {
        fail(key, QStringLiteral("an object"), value);
        return JsonFieldReader({}, pathOf(key), m_diagnostics);
    }
    return JsonFieldReader(value.toObject(), pathOf(key), m_diagnostics);
}

QList<JsonFieldReader> JsonFieldReader::objectArray(const QString& key, int maxItems, bool* ok)
{
    return readObjectArray(key, 0, maxItems, false, ok);
}

QList<JsonFieldReader> JsonFieldReader::objectEntries(const QString& key, int minItems,
                                                      int maxItems)
{
    return readObjectArray(key, minItems, maxItems, true, nullptr);
}

QList<JsonFieldReader> JsonFieldReader::readObjectArray(const QString& key, int minItems,
                                                        int maxItems, bool keepGoodEntries,
                                                        bool* ok)
{
    m_known.insert(key);
    if (ok)
        *ok = true;
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return {};
    const auto reject = [&](const QString& at, const QString& problem) {
        addError(at, problem);
        if (ok)
            *ok = false;
        return QList<JsonFieldReader>();
    };
    if (!value.isArray())
        return reject(key,
                      QStringLiteral("must be an array of objects, got %1").arg(describe(value)));
    const QJsonArray array = value.toArray();
    if (array.size() > maxItems) {
        return reject(
            key,
            QStringLiteral("must hold at most %1 objects, got %2").arg(maxItems).arg(array.size()));
    }
    if (array.size() < minItems) {
        return reject(key,
                      QStringLiteral("must hold at least %1 %2, got %3")
                          .arg(minItems)
                          .arg(minItems == 1 ? QStringLiteral("object") : QStringLiteral("objects"))
                          .arg(array.size()));
    }
    QList<JsonFieldReader> readers;
    for (int i = 0; i < array.size(); ++i) {
        const QString at = QStringLiteral("%1[%2]").arg(key).arg(i);
        if (!array[i].isObject()) {
            const QString problem =
                QStringLiteral("must be an object, got %1").arg(describe(array[i]));
            if (!keepGoodEntries)
                return reject(at, problem);
            addError(at, problem);
            continue;
        }
        readers << JsonFieldReader(array[i].toObject(), pathOf(at), m_diagnostics);
    }
    return readers;
}

bool JsonFieldReader::require(const QString& key)
{
    m_known.insert(key);
    if (m_object.contains(key))
        return true;
    addError(key, QStringLiteral("is required"));
    return false;
}

bool JsonFieldReader::readInt(const QString& key, int& out, int min, int max)
{
    qint64 wide = out;
    if (!readInt64(key, wide, min, max))
        return false;
    out = int(wide);
    return true;
}

bool JsonFieldReader::readInt64(const QString& key, qint64& out, qint64 min, qint64 max)
{
    m_known.insert(key);
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    max = std::min(max, kMaxExactInteger);
    const double number = value.toDouble();
    if (!value.isDouble() || !std::isfinite(number) || number != std::trunc(number) ||
        number < double(min) || number > double(max))
        return fail(key, FieldExpectation::integer(min, max), value);
    out = qint64(number);
    return true;
}

bool JsonFieldReader::readDouble(const QString& key, double& out, double min, double max,
                                 bool minExclusive)
{
    m_known.insert(key);
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    const double number = value.toDouble();
    const bool aboveMin = minExclusive ? number > min : number >= min;
    if (!value.isDouble() || !std::isfinite(number) || !aboveMin || number > max)
        return fail(key, FieldExpectation::number(min, max, minExclusive), value);
    out = number;
    return true;
}

bool JsonFieldReader::readBool(const QString& key, bool& out)
{
    m_known.insert(key);
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    if (!value.isBool())
        return fail(key, QStringLiteral("true or false"), value);
    out = value.toBool();
    return true;
}

bool JsonFieldReader::readOptionalBool(const QString& key, std::optional<bool>& out)
{
    m_known.insert(key);
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    if (value.isNull()) {
        out.reset();
        return true;
    }
    if (!value.isBool())
        return fail(key, QStringLiteral("true, false or null"), value);
    out = value.toBool();
    return true;
}

bool JsonFieldReader::readOptionalDouble(const QString& key, std::optional<double>& out, double min,
                                         double max)
{
    m_known.insert(key);
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    if (value.isNull()) {
        out.reset();
        return true;
    }
    const double number = value.toDouble();
    if (!value.isDouble() || !std::isfinite(number) || number < min || number > max)
        return fail(key, FieldExpectation::number(min, max) + QStringLiteral(" or null"), value);
    out = number;
    return true;
}

bool JsonFieldReader::readString(const QString& key, QString& out, int maxLength, Text text)
{
    return readStringField(key, out, maxLength, text, false);
}

bool JsonFieldReader::readNonEmptyString(const QString& key, QString& out, int maxLength, Text text)
{
    return readStringField(key, out, maxLength, text, true);
}

bool JsonFieldReader::readStringField(const QString& key, QString& out, int maxLength, Text text,
                                      bool nonEmpty)
{
    m_known.insert(key);
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    const QString string = value.toString();
    if (!value.isString() || (nonEmpty && string.trimmed().isEmpty()) ||
        string.size() > maxLength || hasControlCharacters(string, text))
        return fail(key, FieldExpectation::string(maxLength, nonEmpty, text == Text::MultiLine),
                    value);
    out = string;
    return true;
}

bool JsonFieldReader::readStringList(const QString& key, QStringList& out, int maxItems,
                                     int maxLength)
{
    m_known.insert(key);
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    if (!value.isArray())
        return fail(key, QStringLiteral("an array of strings"), value);
    const QJsonArray array = value.toArray();
    if (array.size() > maxItems) {
        addError(
            key,
            QStringLiteral("must hold at most %1 strings, got %2").arg(maxItems).arg(array.size()));
        return false;
    }
    QStringList items;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString text = array[i].toString();
        if (!array[i].isString() || text.size() > maxLength || hasControlCharacters(text)) {
            addError(
                QStringLiteral("%1[%2]").arg(key).arg(i),
                QStringLiteral("must be %1, got %2")
                    .arg(FieldExpectation::string(maxLength, false, false), describe(array[i])));
            return false;
        }
        items << text;
    }
    out = items;
    return true;
}

bool JsonFieldReader::readEnum(const QString& key, QString& out, const QStringList& allowed)
{
    m_known.insert(key);
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    if (!value.isString() || !allowed.contains(value.toString())) {
        return fail(key, FieldExpectation::oneOf(allowed), value);
    }
    out = value.toString();
    return true;
}

bool JsonFieldReader::readUrl(const QString& key, QString& out)
{
    m_known.insert(key);
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    const QString expectation = QStringLiteral("an http:// or https:// URL with a host");
    if (!value.isString())
        return fail(key, expectation, value);
    const QString text = value.toString();
    const QUrl url(text, QUrl::StrictMode);
    if (url.isValid() && !url.userInfo().isEmpty()) {
        // The user info may be a password: name the problem, never the value.
        addError(key, QStringLiteral("must not contain a user name or password (value not shown); "
                                     "keep credentials in a secret reference"));
        return false;
    }
    const QString scheme = url.scheme();
    if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) ||
        url.host().isEmpty() || hasControlCharacters(text) || text.contains(QLatin1Char(' ')))
        return fail(key, expectation, value);
    out = text;
    return true;
}

bool JsonFieldReader::readSecret(const QString& key, SecretRef& out)
{
    m_known.insert(key);
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    if (value.isNull()) {
        out = SecretRef{};
        return true;
    }
    const QString form = QStringLiteral("{\"keychain\": \"<entry>\"} or {\"env\": \"<VARIABLE>\"}");
    if (value.isString()) {
        addError(key, QStringLiteral("secrets must not be written into the config file (value not "
                                     "shown); use a reference: %1")
                          .arg(form));
        return false;
    }
    if (!value.isObject()) {
        const QString kind = value.isArray()  ? QStringLiteral("an array")
                             : value.isBool() ? QStringLiteral("a boolean")
                                              : QStringLiteral("a number");
        addError(key, QStringLiteral("must be a secret reference %1 or null, got %2 (value not "
                                     "shown)")
                          .arg(form, kind));
        return false;
    }
    const QJsonObject object = value.toObject();
    bool ok = true;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() == QLatin1String("keychain") || it.key() == QLatin1String("env"))
            continue;
        const QString name = isPlainIdentifier(it.key()) ? QStringLiteral("\"%1\"").arg(it.key())
                                                         : QStringLiteral("(name not shown)");
        addError(key,
                 QStringLiteral("unknown key %1 in secret reference; expected %2").arg(name, form));
        ok = false;
    }
    const bool hasKeychain = object.contains(QLatin1String("keychain"));
    const bool hasEnv = object.contains(QLatin1String("env"));
    if (hasKeychain == hasEnv) {
        addError(key, QStringLiteral("a secret reference needs exactly one of \"keychain\" or "
                                     "\"env\", as in %1")
                          .arg(form));
        return false;
    }
    // A bad entry or variable name may be the secret pasted in the wrong place: not echoed.
    SecretRef ref;
    if (hasKeychain) {
        const QJsonValue name = object.value(QLatin1String("keychain"));
        const QString text = name.toString();
        if (!name.isString() || text.trimmed().isEmpty() || text.size() > 128 ||
            hasControlCharacters(text)) {
            addError(key + QStringLiteral(".keychain"),
                     QStringLiteral("must be a keychain entry name of 1 to 128 characters "
                                    "(value not shown)"));
            return false;
        }
        ref.keychainKey = text;
    } else {
        const QJsonValue name = object.value(QLatin1String("env"));
        if (!name.isString() || !isValidEnvName(name.toString())) {
            addError(key + QStringLiteral(".env"),
                     QStringLiteral("must be an environment variable name (letters, digits and "
                                    "_, not starting with a digit; value not shown)"));
            return false;
        }
        ref.envVar = name.toString();
    }
    if (!ok)
        return false;
    out = ref;
    return true;
}

void JsonFieldReader::ignore(const QString& key)
{
    m_known.insert(key);
}

bool JsonFieldReader::has(const QString& key) const
{
    return m_object.contains(key);
}

QString JsonFieldReader::pathOf(const QString& key) const
{
    if (key.isEmpty()) // a problem of the whole section
        return m_path;
    return m_path.isEmpty() ? key : m_path + QLatin1Char('.') + key;
}

void JsonFieldReader::addError(const QString& key, const QString& problem)
{
    m_diagnostics->errors << pathOf(key) + QStringLiteral(": ") + problem;
}

void JsonFieldReader::addWarning(const QString& key, const QString& problem)
{
    m_diagnostics->warnings << pathOf(key) + QStringLiteral(": ") + problem;
}

void JsonFieldReader::reportUnknownKeys()
{
    QStringList unknown;
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (!m_known.contains(it.key()))
            unknown << it.key();
    }
    std::sort(unknown.begin(), unknown.end());
    for (const QString& key : unknown) {
        QString message = pathOf(key) + QStringLiteral(": unknown key, ignored");
        const QString suggestion = KeySuggester::suggest(key, m_known);
        if (!suggestion.isEmpty())
            message += QStringLiteral(" (did you mean \"%1\"?)").arg(pathOf(suggestion));
        m_diagnostics->warnings << message;
    }
}

QString JsonFieldReader::describe(const QJsonValue& value)
{
    if (value.isObject())
        return QStringLiteral("an object");
    if (value.isArray())
        return QStringLiteral("an array");
    if (value.isUndefined())
        return QStringLiteral("nothing");
    QString text = QString::fromUtf8(
        QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).chopped(1).mid(1));
    if (text.size() > kMaxDescribedChars)
        text = text.left(kMaxDescribedChars) + QStringLiteral("…");
    return text;
}

bool JsonFieldReader::isValidEnvName(const QString& name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,254}$"));
    return pattern.match(name).hasMatch();
}

bool JsonFieldReader::fail(const QString& key, const QString& expectation, const QJsonValue& value)
{
    addError(key, QStringLiteral("must be %1, got %2").arg(expectation, describe(value)));
    return false;
}

} // namespace querydeck
